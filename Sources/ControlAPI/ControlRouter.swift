import Hummingbird

/// Builds the router of the socket API from its route table.
enum ControlRouter {
    static func make(routes: [ControlRoute]) -> Router<ControlRequestContext> {
        let router = Router(context: ControlRequestContext.self)
        // Middleware applies to the routes added after it, and to unknown paths.
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorResponseMiddleware())
        // A path that exists, with a method its routes do not take: 405 instead of 404.
        router.add(middleware: MethodNotAllowedMiddleware(routeMethods: RouteMethods(routes: routes)))
        // Peer-credential checks go here, as a middleware reading ControlRequestContext.

        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handle)
        }
        return router
    }
}
