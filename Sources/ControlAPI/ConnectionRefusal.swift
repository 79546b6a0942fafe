import APIModel
import NIOCore

/// Answers a connection over the limit at once with `503 too_many_connections` and closes it,
/// instead of leaving the client waiting in the listen queue.
///
/// The answer is written as soon as the connection is accepted, before the client's request is
/// read; the daemon then shuts its side down, so the client reads the answer and an end of file.
/// The connection is closed for good on the client's first bytes (read and dropped), its end of
/// file, or after a quarter of a second, whichever comes first, so that a refused client holds a
/// file descriptor of the daemon for no longer than that.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let limit: Int
    private var answered = false

    init(limit: Int) {
        self.limit = limit
    }

    /// The answer, in the API's error shape.
    static func answer(limit: Int) -> String {
        let info = APIErrorInfo(
            .tooManyConnections,
            "vmbackupd serves at most \(limit) connections at once and every one is busy; try again shortly")
        var body =
            (try? APIJSON.encoder().encode(APIErrorBody(error: info))).map { String(decoding: $0, as: UTF8.self) }
            ?? "{}"
        body += "\n"
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func refuse(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let answer = context.channel.allocator.buffer(string: Self.answer(limit: limit))
        context.writeAndFlush(NIOAny(answer), promise: nil)
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .milliseconds(250)) { channel.close(promise: nil) }
    }
}
