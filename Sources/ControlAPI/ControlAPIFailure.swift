import APIModel
import Hummingbird

/// An error answer of the socket API: the JSON error body, the HTTP status carrying it and any
/// extra header (`Allow` on 405).
///
/// The status is the code's own ``APIErrorCode/httpStatus`` except where HTTP has a more precise
/// one than the code set: 405 for a wrong method and 413 for an oversized body.
struct ControlAPIFailure: Error {
    var info: APIErrorInfo
    var status: HTTPResponse.Status
    var headers: HTTPFields

    init(_ info: APIErrorInfo, status: HTTPResponse.Status? = nil, headers: HTTPFields = [:]) {
        self.info = info
        self.status = status ?? HTTPResponse.Status(code: info.code.httpStatus)
        self.headers = headers
    }

    /// Translates whatever a handler or Hummingbird threw into the answer the client sees.
    init(translating error: any Error, path: String) {
        switch error {
        case let failure as ControlAPIFailure:
            self = failure
        case let convertible as any APIErrorConvertible:
            self.init(convertible.apiError)
        case let responseError as any HTTPResponseError:
            // Hummingbird's own refusals: no route, oversized body, unreadable request.
            self.init(
                hummingbirdStatus: responseError.status, message: (responseError as? HTTPError)?.body, path: path)
        default:
            self.init(APIErrorInfo(.internal, "internal error: \(error)"))
        }
    }

    private init(hummingbirdStatus status: HTTPResponse.Status, message: String?, path: String) {
        switch status {
        case .notFound:
            self.init(APIErrorInfo(.notFound, "no such resource: \(path)"))
        case .contentTooLarge:
            let limit = ControlRequestContext.maxBodySize / 1024
            self.init(APIErrorInfo(.badRequest, "request body is larger than \(limit) KiB"), status: status)
        case _ where status.kind == .clientError:
            self.init(APIErrorInfo(.badRequest, message ?? status.reasonPhrase), status: status)
        default:
            self.init(APIErrorInfo(.internal, message ?? status.reasonPhrase), status: status)
        }
    }

    /// 405 for a path that exists with other methods.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method])
        -> ControlAPIFailure
    {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        let allowedList = allowed.map(\.rawValue).joined(separator: " or ")
        return ControlAPIFailure(
            APIErrorInfo(.methodNotAllowed, "\(method.rawValue) is not allowed on \(path); use \(allowedList)"),
            status: .methodNotAllowed, headers: headers)
    }
}
