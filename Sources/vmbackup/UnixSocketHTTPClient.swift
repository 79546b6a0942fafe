import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 client over a Unix socket: one request per connection, `Connection: close`.
struct UnixSocketHTTPClient: Sendable {
    /// An HTTP response, its body collected.
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// Why no response arrived.
    enum Failure: Error {
        /// The socket could not be connected; `reason` is one line such as "Connection refused".
        case unreachable(reason: String)
        /// The connection ended or timed out before a whole response arrived.
        case incompleteResponse
        /// The response body is larger than ``maxBodySize``.
        case responseTooLarge
    }

    let socketPath: String
    /// How long a request may take, connection included.
    var timeout: TimeAmount = .seconds(60)
    var maxBodySize = 64 * 1024 * 1024

    func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil) async throws -> Response {
        let channel = try await connect()
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { [channel] in
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        var request: [HTTPClientRequestPart] = [.head(requestHead(method, path, bodyLength: body?.readableBytes))]
        if let body {
            request.append(.body(.byteBuffer(body)))
        }
        request.append(.end(nil))
        return try await channel.executeThenClose { [request] inbound, outbound in
            // Head, body and end go out in one write and one flush: written part by part, the
            // daemon could answer after the head alone and close, and the next part would fail.
            // The write hands the parts to the channel; it waits only while the socket is full.
            do {
                try await outbound.write(contentsOf: request)
            } catch {
                // The daemon closed the connection before the request was handed over, after
                // answering (every answer ends the connection) or while stopping. What it sent
                // is still in the inbound stream: a whole answer is the answer, whatever
                // became of the request's write; anything less is an incomplete response.
            }
            return try await collectResponse(from: inbound)
        }
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch let error as IOError {
            throw Failure.unreachable(reason: String(cString: strerror(error.errnoCode)))
        } catch ChannelError.connectTimeout {
            throw Failure.unreachable(reason: "timed out connecting")
        } catch SocketAddressError.unixDomainSocketPathTooLong {
            throw Failure.unreachable(reason: "the socket path is too long")
        } catch {
            throw Failure.unreachable(reason: "\(error)")
        }
    }

    private func requestHead(_ method: HTTPMethod, _ path: String, bodyLength: Int?) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "localhost")
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "Accept", value: "application/json")
        if let bodyLength {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(bodyLength))
        }
        return head
    }

    private func collectResponse(from inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>) async throws
        -> Response
    {
        var head: HTTPResponseHead?
        var body = ByteBuffer()
        do {
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                case .body(var chunk):
                    guard body.readableBytes + chunk.readableBytes <= maxBodySize else {
                        throw Failure.responseTooLarge
                    }
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { throw Failure.incompleteResponse }
                    return Response(status: head.status, headers: head.headers, body: body)
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            // Reset, closed by the timeout, or not HTTP at all.
            throw Failure.incompleteResponse
        }
        throw Failure.incompleteResponse
    }
}
