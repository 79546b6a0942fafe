import APIModel
import Foundation
import Hummingbird

extension ControlRequestContext {
    /// A path parameter, percent-decoded: a VM may be named `web 01`.
    func pathParameter(_ name: String) throws(APIErrorInfo) -> String {
        guard let raw = parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw APIErrorInfo(.badRequest, "invalid \(name) in the request path")
        }
        return value
    }

    /// The whole body of `request`, up to ``maxUploadSize``; larger ones are answered with 413,
    /// at once when their `Content-Length` says so, without waiting for them.
    func body(of request: Request) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxUploadSize {
            throw HTTPError(.contentTooLarge)
        }
        var request = request
        let body = try await request.collectBody(upTo: maxUploadSize)
        return Data(body.readableBytesView)
    }
}
