import APIModel
import Synchronization

/// Bytes done and to do of one job, updated from streaming threads and read by the API.
public final class ProgressCounter: Sendable {
    private let state = Mutex(TaskProgress())

    public init() {}

    public func setTotal(_ total: UInt64) {
        state.withLock { $0.totalBytes = total }
    }

    public func add(_ bytes: UInt64) {
        state.withLock { $0.doneBytes += bytes }
    }

    /// Sets the bytes done; never moves backwards.
    public func setDone(_ bytes: UInt64) {
        state.withLock { $0.doneBytes = max($0.doneBytes, bytes) }
    }

    public var snapshot: TaskProgress { state.withLock { $0 } }
}
