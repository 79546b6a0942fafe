import APIModel
import Foundation

/// A JSON request body of the socket API: a JSON object whose problems are answered with a 400
/// that names the field concerned.
protocol RequestBody: Decodable {
    /// What an empty body (or one of only whitespace) stands for.
    static var emptyBody: Self { get }

    /// What the field at `path` must be, when that says more than its JSON type: `one of
    /// required, preferred, off`. Nil leaves the description to the field's type.
    static func expectation(at path: [any CodingKey]) -> String?
}

extension RequestBody {
    static func expectation(at path: [any CodingKey]) -> String? { nil }

    /// Reads a request body: empty means ``emptyBody``.
    ///
    /// Throws `bad_request` with a message that names what is wrong: not JSON, not an object, an
    /// unknown field, or a field of the wrong type or with a value it cannot take.
    static func decodeBody(_ body: Data) throws(APIErrorInfo) -> Self {
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            return emptyBody
        }
        do {
            return try APIJSON.decoder().decode(Self.self, from: body)
        } catch let error as UnknownFieldError {
            throw APIErrorInfo(.badRequest, error.description)
        } catch let error as DecodingError {
            throw APIErrorInfo(.badRequest, explain(error))
        } catch {
            throw APIErrorInfo(.badRequest, "request body is not valid JSON: \(error)")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "request body is not valid JSON"
        case .dataCorrupted(let context):
            let field = fieldName(context.codingPath)
            guard let expected = expectation(at: context.codingPath) else {
                return "field '\(field)' has an invalid value"
            }
            return "field '\(field)' must be \(expected)"
        case .typeMismatch(_, let context) where context.codingPath.isEmpty,
            .valueNotFound(_, let context) where context.codingPath.isEmpty:
            return "request body must be a JSON object"
        case .typeMismatch(let type, let context):
            let expected = expectation(at: context.codingPath) ?? DecodingError.jsonName(of: type)
            return "field '\(fieldName(context.codingPath))' must be \(expected)"
        case .valueNotFound(let type, let context):
            // null: a field is left out by leaving it out.
            let expected = expectation(at: context.codingPath) ?? DecodingError.jsonName(of: type)
            return "field '\(fieldName(context.codingPath))' must be \(expected), not null"
        case .keyNotFound(let key, _):
            return "field '\(key.stringValue)' is missing"
        @unknown default:
            return "request body is not understood"
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        DecodingError.fieldName(path)
    }
}
