/// Limits how many backups run at once; the others wait their turn, first come first served.
/// A waiter whose task is cancelled leaves the queue at once.
actor JobSlots {
    private var free: Int
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    init(_ count: Int) {
        free = max(1, count)
    }

    /// Waits for a free slot; throws `CancellationError` when the task is cancelled first.
    func acquire() async throws {
        if free > 0 {
            free -= 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.leave(id) }
        }
    }

    /// Gives a slot back: to the first waiter, if any.
    func release() {
        if waiters.isEmpty {
            free += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    /// How many wait.
    var waiting: Int { waiters.count }

    private func leave(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
