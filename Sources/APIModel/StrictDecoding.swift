/// Request bodies refuse fields they do not know, so that a typo is an error, not a default.
enum StrictDecoding {
    /// The keys of an object that has no fields.
    enum NoKeys: CodingKey {}

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws ``UnknownFieldError`` naming the first field of the object being decoded that is
    /// not in `known`, and listing those that are.
    static func rejectUnknownFields(in decoder: any Decoder, known: [String]) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        let knownSet = Set(known)
        if let unknown = all.allKeys.map(\.stringValue).first(where: { !knownSet.contains($0) }) {
            throw UnknownFieldError(field: unknown, known: known)
        }
    }
}

/// A request body named a field its type does not have.
public struct UnknownFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    /// The fields the type has.
    public var known: [String]

    public var description: String { "unknown field '\(field)' (known: \(known.joined(separator: ", ")))" }
}

extension KeyedDecodingContainer {
    /// The field's value, nil when the field is absent; a field given as `null` is refused as a
    /// value of the wrong type. Absent is the one way to leave a field out: `{"dryRun": null}`
    /// must not quietly mean false, nor `{"name": null}` leave a name as it is.
    func decodeUnlessNull<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: codingPath + [key], debugDescription: "the field is null"))
        }
        return try decode(type, forKey: key)
    }
}
