import Foundation
import Testing

@testable import ControlAPI

/// The served OpenAPI document, read as the route table sees it: operations as `GET /v1/tasks/{id}`
/// with their query parameters, and the error codes with their statuses.
struct APIDescription {
    let document: [String: Any]

    init(json: String = OpenAPIDocument.json) throws {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        document = try #require(object as? [String: Any])
    }

    /// `METHOD /path/{param}` of every documented operation, with the names of its query parameters.
    var operations: [String: Set<String>] {
        let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        var operations: [String: Set<String>] = [:]
        for (path, item) in paths {
            let shared = item["parameters"] as? [[String: Any]] ?? []
            for method in methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let own = operation["parameters"] as? [[String: Any]] ?? []
                let query = (shared + own).map(resolve).filter { $0["in"] as? String == "query" }
                operations["\(method.uppercased()) \(path)"] = Set(query.compactMap { $0["name"] as? String })
            }
        }
        return operations
    }

    /// The `code` values the error body may carry, with the `x-http-status` each is documented with.
    var errorCodes: [String: Int] {
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let choices = (schemas?["ErrorCode"] as? [String: Any])?["oneOf"] as? [[String: Any]] ?? []
        var codes: [String: Int] = [:]
        for choice in choices {
            if let code = choice["const"] as? String { codes[code] = choice["x-http-status"] as? Int ?? 0 }
        }
        return codes
    }

    /// A parameter, or the one its `$ref` names under `components/parameters`.
    private func resolve(_ parameter: [String: Any]) -> [String: Any] {
        guard let reference = parameter["$ref"] as? String else { return parameter }
        let name = String(reference.split(separator: "/").last ?? "")
        let parameters = (document["components"] as? [String: Any])?["parameters"] as? [String: Any]
        return parameters?[name] as? [String: Any] ?? [:]
    }
}

extension ControlRoute {
    /// `METHOD /path/{param}`: the route as docs/openapi.yaml names it.
    var operation: String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{" + segment.dropFirst() + "}" : String(segment)
        }
        return method.rawValue + " " + segments.joined(separator: "/")
    }
}
