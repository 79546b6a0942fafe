import APIModel

/// Why a `manifest.json` could not be read: the field at fault (a JSON path such as
/// `disks[0].digest`), or none when the bytes are not a JSON object at all.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String?
    public var problem: String

    public init(field: String?, problem: String) {
        self.field = field
        self.problem = problem
    }

    init(_ error: DecodingError) {
        let field = error.fieldPath
        switch error {
        case .keyNotFound:
            self.init(field: field, problem: "is missing")
        case .valueNotFound:
            self.init(field: field, problem: "is null")
        case .typeMismatch(let type, _) where !field.isEmpty:
            self.init(field: field, problem: "is not \(DecodingError.jsonName(of: type))")
        case .dataCorrupted where !field.isEmpty:
            self.init(field: field, problem: "has a value it cannot take")
        case .dataCorrupted:
            self.init(field: nil, problem: "is not valid JSON")
        default:
            self.init(field: nil, problem: "is not a JSON object")
        }
    }

    public var description: String {
        guard let field else { return "manifest \(problem)" }
        return "manifest field '\(field)' \(problem)"
    }
}
