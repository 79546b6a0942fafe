import APIModel
import Foundation

extension BackupRequest {
    /// Reads the body of `POST /v1/vms/{vm}/backups`: empty means every default.
    ///
    /// Throws `bad_request` with a message that names what is wrong: not JSON, not an object, a
    /// field of the wrong type, or an unknown quiesce policy.
    static func decodeBody(_ body: Data) throws(APIErrorInfo) -> BackupRequest {
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            return BackupRequest()
        }
        do {
            return try APIJSON.decoder().decode(BackupRequest.self, from: body)
        } catch let error as DecodingError {
            throw APIErrorInfo(.badRequest, Self.explain(error))
        } catch {
            throw APIErrorInfo(.badRequest, "request body is not valid JSON: \(error)")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "request body is not valid JSON"
        case .dataCorrupted(let context) where context.debugDescription.hasPrefix("unknown field"):
            return context.debugDescription
        case .dataCorrupted(let context) where context.codingPath.last?.stringValue == "quiesce":
            let policies = QuiescePolicy.allCases.map(\.rawValue).joined(separator: ", ")
            return "field 'quiesce' must be one of \(policies)"
        case .dataCorrupted(let context):
            return "field '\(fieldName(context.codingPath))' has an invalid value"
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "request body must be a JSON object"
        case .typeMismatch(let type, let context):
            return "field '\(fieldName(context.codingPath))' must be \(describe(type, at: context.codingPath))"
        case .valueNotFound(_, let context) where context.codingPath.isEmpty:
            return "request body must be a JSON object"
        case .valueNotFound(let type, let context):
            return "field '\(fieldName(context.codingPath))' must be \(describe(type, at: context.codingPath))"
        case .keyNotFound(let key, _):
            return "field '\(key.stringValue)' is missing"
        @unknown default:
            return "request body does not describe a backup"
        }
    }

    /// `disks[1]` for the second element of `disks`.
    private static func fieldName(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { name, key in
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }

    private static func describe(_ type: Any.Type, at path: [any CodingKey]) -> String {
        switch path.first?.stringValue {
        case "disks", "exclude":
            path.count == 1 ? "an array of disk target names (strings)" : "a disk target name (a string)"
        case "quiesce":
            "one of " + QuiescePolicy.allCases.map(\.rawValue).joined(separator: ", ")
        default:
            type == String.self ? "a string" : "a \(type)"
        }
    }
}
