import APIModel
import Hummingbird
import Logging

/// Turns every error thrown below it into the API's JSON error answer. A 413 also ends its
/// connection, so that a client still sending the body is not left waiting.
struct ErrorResponseMiddleware: RouterMiddleware {
    typealias Context = ControlRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = ControlAPIFailure(translating: error, path: request.uri.path)
            if failure.info.code == .internal {
                context.logger.info(
                    "Request failed with an unexpected error",
                    metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            }
            guard failure.status == .contentTooLarge else { return .apiError(failure) }
            // The rest of an oversized body is not worth reading: the answer ends the connection.
            return .apiError(failure, closing: context.channel)
        }
    }
}
