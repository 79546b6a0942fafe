import Dispatch

extension BtrfsSnapshot {
    /// Runs quick blocking libbtrfsutil calls on a Dispatch worker thread, off Swift's cooperative
    /// pool. Runs to the end even when the calling task is cancelled.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result(catching: body))
            }
        }
    }
}
