/// Which connections of the socket API are open, and which of them are idle: decides whether a
/// new connection is admitted. Pure; ``ConnectionGate`` carries out its answers.
///
/// At the limit, a new connection is admitted in place of the connection that has been idle the
/// longest (a client that connected and sent nothing, or a keep-alive connection between
/// requests), which is closed: such a connection costs a file descriptor and serves no one. Only
/// when every open connection is in the middle of a request is the new one refused.
struct ConnectionTable<Key: Hashable> {
    enum Admission: Equatable {
        case admitted
        /// Admitted in place of `Key`, the connection idle the longest: close it.
        case admittedClosing(Key)
        /// Every connection is busy with a request: answer 503 and close.
        case refused
    }

    private enum State: Equatable {
        /// Idle since the table's `tick` had this value: the lower, the longer.
        case idle(since: UInt64)
        /// Requests in progress.
        case busy(Int)
    }

    /// The most connections open at once.
    let limit: Int
    private var connections: [Key: State] = [:]
    /// Counts events, ordering idle connections by when they became idle.
    private var tick: UInt64 = 0

    init(limit: Int) {
        precondition(limit > 0, "a connection limit is at least 1")
        self.limit = limit
    }

    /// How many connections are open.
    var count: Int { connections.count }

    /// A new connection `key`; admitted (idle) unless the answer is ``Admission/refused``.
    mutating func admit(_ key: Key) -> Admission {
        tick += 1
        guard connections.count >= limit else {
            connections[key] = .idle(since: tick)
            return .admitted
        }
        let longestIdle = connections.compactMap { key, state -> (key: Key, since: UInt64)? in
            guard case .idle(let since) = state else { return nil }
            return (key, since)
        }.min { $0.since < $1.since }
        guard let longestIdle else { return .refused }
        connections[longestIdle.key] = nil
        connections[key] = .idle(since: tick)
        return .admittedClosing(longestIdle.key)
    }

    /// `key` starts answering a request.
    mutating func requestStarted(_ key: Key) {
        tick += 1
        switch connections[key] {
        case .idle: connections[key] = .busy(1)
        case .busy(let requests): connections[key] = .busy(requests + 1)
        case nil: break
        }
    }

    /// `key` has answered a request.
    mutating func requestFinished(_ key: Key) {
        tick += 1
        switch connections[key] {
        case .busy(let requests) where requests > 1: connections[key] = .busy(requests - 1)
        case .busy: connections[key] = .idle(since: tick)
        case .idle, nil: break
        }
    }

    /// `key` is closed (by either side); nothing happens for a key the table no longer holds.
    mutating func closed(_ key: Key) {
        connections[key] = nil
    }
}
