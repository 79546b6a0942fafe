import Hummingbird

/// The methods the routes take on each path pattern, so that a request for a path that exists
/// with a method none of its routes takes is told so (405), not that the path is unknown (404).
struct RouteMethods: Sendable {
    private struct Pattern: Sendable {
        /// `["v1", "tasks", ":id"]`: a segment that starts with `:` matches any one segment.
        var segments: [Substring]
        var methods: [HTTPRequest.Method]
    }

    private let patterns: [Pattern]

    init(routes: [ControlRoute]) {
        var patterns: [Pattern] = []
        for route in routes {
            let segments = route.path.split(separator: "/", omittingEmptySubsequences: false)
            if let index = patterns.firstIndex(where: { $0.segments == segments }) {
                patterns[index].methods.append(route.method)
            } else {
                patterns.append(Pattern(segments: segments, methods: [route.method]))
            }
        }
        self.patterns = patterns
    }

    /// The methods the routes take on `path` (a request's path, without its query), in the order
    /// of the route table; nil when no route has that path.
    func allowed(onPath path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return patterns.first { pattern in
            pattern.segments.count == segments.count
                && zip(pattern.segments, segments).allSatisfy { expected, actual in
                    expected.hasPrefix(":") ? !actual.isEmpty : expected == actual
                }
        }?.methods
    }
}
