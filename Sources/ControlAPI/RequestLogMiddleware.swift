import Hummingbird
import Logging

/// Logs each request at debug level with its method, path and the status answered.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        context.logger.debug(
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: [
                "http.method": "\(request.method)",
                "http.path": "\(request.uri.path)",
                "http.status": "\(response.status.code)",
            ])
        return response
    }
}
