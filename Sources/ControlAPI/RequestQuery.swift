import APIModel
import Hummingbird

/// The query parameters of a request, checked against those its route knows.
///
/// An unknown parameter is refused rather than ignored: `DELETE ...?childern=only` must not
/// delete the backup itself.
struct RequestQuery: Sendable {
    private let values: [String: String]

    /// Reads the query of `request`; throws `bad_request` for a parameter not in `known`, or one
    /// given twice.
    init(_ request: Request, known: [String]) throws(APIErrorInfo) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard known.contains(name) else {
                guard !known.isEmpty else {
                    throw APIErrorInfo(.badRequest, "unknown query parameter '\(name)' (this path takes none)")
                }
                throw APIErrorInfo(
                    .badRequest, "unknown query parameter '\(name)' (known: \(known.joined(separator: ", ")))")
            }
            guard values[name] == nil else {
                throw APIErrorInfo(.badRequest, "query parameter '\(name)' is given more than once")
            }
            values[name] = String(value)
        }
        self.values = values
    }

    /// The value of parameter `name`, nil when absent; throws `bad_request` when it is empty.
    func value(_ name: String) throws(APIErrorInfo) -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else {
            throw APIErrorInfo(.badRequest, "query parameter '\(name)' is empty")
        }
        return value
    }
}
