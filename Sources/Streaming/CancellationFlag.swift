import Synchronization

/// Set once when the stream must stop: by the caller's `isCancelled` or by cancellation of the
/// calling task. Read between chunks by the copying thread.
final class CancellationFlag: Sendable {
    private let isSet = Atomic(false)
    private let callerCancelled: @Sendable () -> Bool

    init(callerCancelled: @escaping @Sendable () -> Bool) {
        self.callerCancelled = callerCancelled
    }

    func cancel() { isSet.store(true, ordering: .relaxed) }

    var isCancelled: Bool { isSet.load(ordering: .relaxed) || callerCancelled() }
}
