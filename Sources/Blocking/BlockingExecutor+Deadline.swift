import Dispatch
import Synchronization

extension BlockingExecutor {
    /// Runs `body` on a pool thread and returns its result, or throws
    /// ``BlockingExecutorError/timedOut(_:)`` once `limit` has passed without one.
    ///
    /// A blocking call cannot be interrupted: on time-out it keeps its thread until it returns by
    /// itself, and its result is dropped. Meant for calls into something that may hang for good
    /// (a guest agent stuck in a freeze hook), where the caller must get its answer in bounded
    /// time. Cancelling the calling task does not shorten the wait.
    public func run<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let once = Once<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            once.set(continuation)
            DispatchQueue.global().asyncAfter(deadline: .now() + limit.dispatchInterval) {
                once.resume(with: .failure(BlockingExecutorError.timedOut(limit)))
            }
            Task {
                do {
                    once.resume(with: .success(try await self.run(body)))
                } catch {
                    once.resume(with: .failure(error))
                }
            }
        }
    }
}

/// Resumes a continuation with whichever result comes first; later ones are dropped.
private final class Once<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Error>?>(nil)

    func set(_ continuation: CheckedContinuation<T, Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(with result: Result<T, Error>) {
        let waiting = continuation.withLock { current in
            defer { current = nil }
            return current
        }
        waiting?.resume(with: result)
    }
}
