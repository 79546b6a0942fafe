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

    public var snapshot: TaskProgress { state.withLock { $0 } }
}

/// A flag set once, read from any thread: how a blocking loop learns that its task was cancelled.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func set() { flag.store(true, ordering: .relaxed) }

    public var isSet: Bool { flag.load(ordering: .relaxed) }
}
