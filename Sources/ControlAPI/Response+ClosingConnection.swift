import APIModel
import Foundation
import Hummingbird
import NIOCore

extension Response {
    /// How long a connection that is being ended may still deliver what the client sends, before
    /// it is closed regardless.
    static let lingerTime = TimeAmount.seconds(2)

    /// The API's error answer, marked `Connection: close`, after which `channel` is shut down for
    /// writing: the client reads the answer, then an end of file.
    ///
    /// A lingering close (RFC 9112, section 9.6): the daemon shuts its own side down first and
    /// keeps reading (and dropping) what the client still sends until the client closes too, or
    /// for at most ``lingerTime``. Closing outright while the client's body still arrives could
    /// make its system report a reset instead of the answer.
    static func apiError(_ failure: ControlAPIFailure, closing channel: any Channel) -> Response {
        var failure = failure
        failure.headers[.connection] = "close"
        var data = (try? APIJSON.encoder().encode(APIErrorBody(error: failure.info))) ?? Data()
        data.append(UInt8(ascii: "\n"))
        var headers = failure.headers
        headers[.contentType] = "application/json"
        let body = ByteBuffer(bytes: data)
        return Response(
            status: failure.status, headers: headers,
            body: ResponseBody(contentLength: body.readableBytes) { writer in
                try await writer.write(body)
                try await writer.finish(nil)
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: lingerTime) { channel.close(promise: nil) }
            })
    }
}
