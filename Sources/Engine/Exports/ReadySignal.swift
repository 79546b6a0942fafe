import Synchronization

/// Tells the task that starts an export whether its qemu-nbd listens, once.
final class ReadySignal: Sendable {
    private struct State {
        var result: Result<Void, EngineError>?
        var waiter: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())

    func succeed() { _ = settle(.success(())) }

    /// Fails the start; returns false when it was settled already (the export had started).
    @discardableResult
    func fail(_ error: EngineError) -> Bool { settle(.failure(error)) }

    private func settle(_ result: Result<Void, EngineError>) -> Bool {
        let (settled, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, any Error>?) in
            guard state.result == nil else { return (false, nil) }
            state.result = result
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume(with: result.mapError { $0 as any Error })
        return settled
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result = state.withLock { state -> Result<Void, EngineError>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let result { continuation.resume(with: result.mapError { $0 as any Error }) }
        }
    }
}
