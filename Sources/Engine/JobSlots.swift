/// One limit a job counts against while it runs: the host's, its target's, its policy's.
struct SlotLimit: Hashable, Sendable {
    /// What is limited: `host`, `target:offsite`, `policy:nightly`.
    var key: String
    /// How many jobs may hold it at once.
    var limit: Int

    static func host(_ limit: Int) -> SlotLimit { SlotLimit(key: "host", limit: limit) }
    static func target(_ name: String, _ limit: Int) -> SlotLimit { SlotLimit(key: "target:" + name, limit: limit) }
    static func policy(_ name: String, _ limit: Int) -> SlotLimit { SlotLimit(key: "policy:" + name, limit: limit) }
}

/// Limits how many backups run at once, under several limits at a time (the host's, each
/// target's, each policy's): a job runs when every limit it counts against has room.
///
/// Waiters are let in oldest first among those that fit, so a job waiting for a busy target
/// does not hold back a later one bound for another target, and a later job never takes a slot
/// that an older one could have used at that moment. A waiter whose task is cancelled leaves the
/// queue at once.
actor JobSlots {
    private struct Waiter {
        var id: Int
        var limits: [SlotLimit]
        var continuation: CheckedContinuation<Void, any Error>
    }

    private var held: [String: Int] = [:]
    private var waiters: [Waiter] = []
    private var nextID = 0

    /// Waits until every one of `limits` has room, then holds one slot of each; throws
    /// `CancellationError` when the task is cancelled first.
    func acquire(_ limits: [SlotLimit]) async throws {
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, limits: limits, continuation: continuation))
                    admit()
                }
            }
        } onCancel: {
            Task { await self.leave(id) }
        }
    }

    /// Gives back the slots `acquire(limits)` took, and lets in the waiters that now fit.
    func release(_ limits: [SlotLimit]) {
        for limit in limits {
            held[limit.key, default: 1] -= 1
            if held[limit.key, default: 0] <= 0 { held[limit.key] = nil }
        }
        admit()
    }

    /// How many wait.
    var waiting: Int { waiters.count }

    /// How many running jobs hold `key`.
    func holding(_ key: String) -> Int { held[key] ?? 0 }

    /// Lets in, oldest first, every waiter whose limits all have room.
    private func admit() {
        var index = 0
        while index < waiters.count {
            let waiter = waiters[index]
            if waiter.limits.allSatisfy({ held[$0.key, default: 0] < max(1, $0.limit) }) {
                waiters.remove(at: index)
                for limit in waiter.limits { held[limit.key, default: 0] += 1 }
                waiter.continuation.resume()
            } else {
                index += 1
            }
        }
    }

    private func leave(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
        // Its claims are gone: younger waiters it held back may fit now.
        admit()
    }
}
