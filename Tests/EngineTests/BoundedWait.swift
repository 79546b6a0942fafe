/// Waits in tests that end with a failure, never with a hang, when what they wait for never
/// comes: every wait has a deadline.
enum BoundedWait {
    struct TimedOut: Error, CustomStringConvertible {
        var description: String
    }

    /// Returns once `condition` holds, checking it again each time the other tasks have had a turn;
    /// throws `TimedOut` if it still does not hold after `limit`.
    static func until(
        _ what: String, within limit: Duration = .seconds(10), _ condition: () async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(description: "\(what): not within \(limit)") }
            await Task.yield()
        }
    }

    /// The value of `task` (or its error), or `TimedOut` if it has not finished after `limit`; then
    /// the task is cancelled.
    static func value<T: Sendable>(
        of task: Task<T, any Error>, _ what: String, within limit: Duration = .seconds(10)
    ) async throws -> T {
        let (outcomes, continuation) = AsyncStream.makeStream(of: Result<T, any Error>?.self)
        let watcher = Task { continuation.yield(await task.result) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            continuation.yield(nil)
        }
        defer {
            watcher.cancel()
            timer.cancel()
        }
        for await outcome in outcomes {
            if let outcome { return try outcome.get() }
            break
        }
        task.cancel()
        throw TimedOut(description: "\(what): not within \(limit)")
    }
}
