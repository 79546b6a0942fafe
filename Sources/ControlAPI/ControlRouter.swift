import Hummingbird

/// Builds the router of the socket API from its route table.
enum ControlRouter {
    /// The methods a client may use on a path; any other answers 405 instead of 404.
    private static let methodsAnsweredWith405: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    static func make(routes: [ControlRoute]) -> Router<ControlRequestContext> {
        let router = Router(context: ControlRequestContext.self)
        // Middleware applies to the routes added after it, and to unknown paths.
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorResponseMiddleware())
        // Peer-credential checks go here, as a middleware reading ControlRequestContext.

        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handle)
        }
        let allowedByPath = Dictionary(grouping: routes, by: \.path).mapValues { $0.map(\.method) }
        for (path, allowed) in allowedByPath {
            for method in methodsAnsweredWith405 where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw ControlAPIFailure.methodNotAllowed(method, path: request.uri.path, allowed: allowed)
                }
            }
        }
        return router
    }
}
