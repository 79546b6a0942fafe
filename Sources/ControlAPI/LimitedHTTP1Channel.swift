import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 connections under ``ConnectionLimits``: each accepted connection passes
/// the ``ConnectionGate`` first; one over the limit gets ``ConnectionRefusal``'s answer and never
/// reaches the router. Admitted connections close after `idleTimeout` without a request.
struct LimitedHTTP1Channel: ServerChildChannel {
    enum Value: ServerChildChannelValue {
        case admitted(HTTP1Channel.Value)
        case refused(any Channel)

        var channel: any Channel {
            switch self {
            case .admitted(let value): value.channel
            case .refused(let channel): channel
            }
        }
    }

    private let http: HTTP1Channel
    private let gate: ConnectionGate

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, gate: ConnectionGate) {
        self.gate = gate
        // A connection answering a request is busy; between requests it is idle, and may be
        // replaced by a new connection at the limit.
        self.http = HTTP1Channel(
            responder: { request, writer, channel in
                gate.requestStarted(channel)
                defer { gate.requestFinished(channel) }
                try await responder(request, writer, channel)
            },
            configuration: .init(idleTimeout: TimeAmount(limits.idleTimeout)))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard gate.admit(channel) else {
            logger.info(
                "API connection refused: every connection is busy",
                metadata: ["api.max_connections": "\(gate.limit)"])
            let limit = gate.limit
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ConnectionRefusal(limit: limit))
                return .refused(channel)
            }
        }
        return http.setup(channel: channel, logger: logger).map { .admitted($0) }
    }

    func handle(value: Value, logger: Logger) async {
        switch value {
        case .admitted(let connection):
            await http.handle(value: connection, logger: logger)
        case .refused:
            // ConnectionRefusal answers and closes on the channel's event loop.
            break
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with a connection limit and an idle timeout.
    static func limitedHTTP1(_ limits: ConnectionLimits, gate: ConnectionGate) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            LimitedHTTP1Channel(responder: responder, limits: limits, gate: gate)
        }
    }
}
