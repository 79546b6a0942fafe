import Hummingbird

/// Answers a request that no route takes, on a path that exists, with 405 and the `Allow` header,
/// whatever its method: `TRACE`, `OPTIONS` or one HTTP has not named yet.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    let routeMethods: RouteMethods

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError where error.status == .notFound {
            let path = request.uri.path
            guard let allowed = routeMethods.allowed(onPath: path), !allowed.contains(request.method) else {
                throw error
            }
            throw ControlAPIFailure.methodNotAllowed(request.method, path: path, allowed: allowed)
        }
    }
}
