import NIOCore
import Synchronization

/// Admits the socket API's connections under its limit (see ``ConnectionTable``) and closes the
/// idle connection a new one replaces. Shared by every event loop's connections.
final class ConnectionGate: Sendable {
    private struct State {
        var table: ConnectionTable<ObjectIdentifier>
        /// The admitted connections, to close one that a new one replaces.
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(table: ConnectionTable(limit: limit)))
    }

    /// The connection limit.
    var limit: Int { state.withLock { $0.table.limit } }

    /// How many connections are open.
    var openConnections: Int { state.withLock { $0.table.count } }

    /// Whether `channel` may be served. An admitted channel leaves the table when it closes; the
    /// idle connection it replaces, if any, is closed.
    func admit(_ channel: any Channel) -> Bool {
        let key = ObjectIdentifier(channel)
        let (admission, replaced) = state.withLock {
            state -> (ConnectionTable<ObjectIdentifier>.Admission, (any Channel)?) in
            let admission = state.table.admit(key)
            switch admission {
            case .admitted:
                state.channels[key] = channel
                return (admission, nil)
            case .admittedClosing(let other):
                state.channels[key] = channel
                return (admission, state.channels.removeValue(forKey: other))
            case .refused:
                return (admission, nil)
            }
        }
        replaced?.close(promise: nil)
        guard admission != .refused else { return false }
        channel.closeFuture.whenComplete { _ in
            self.state.withLock { state in
                // Only this channel's entry: its key may already have been given to a newer one
                // if it was replaced.
                guard let held = state.channels[key], held === channel else { return }
                state.channels[key] = nil
                state.table.closed(key)
            }
        }
        return true
    }

    /// `channel` starts answering a request: it is not idle until ``requestFinished(_:)``.
    func requestStarted(_ channel: any Channel) {
        state.withLock { $0.table.requestStarted(ObjectIdentifier(channel)) }
    }

    func requestFinished(_ channel: any Channel) {
        state.withLock { $0.table.requestFinished(ObjectIdentifier(channel)) }
    }
}
