import Testing

@testable import Engine

/// Each test waits with a deadline (``BoundedWait``): a waiter that is never let in, or never
/// leaves, fails the test instead of hanging the run.
@Suite struct JobSlotsTests {
    @Test func aWaiterRunsWhenASlotIsReleased() async throws {
        let slots = JobSlots()
        let host = [SlotLimit.host(1)]
        try await slots.acquire(host)
        let waiter = Task { try await slots.acquire(host) }
        try await BoundedWait.until("the waiter queues") { await slots.waiting == 1 }
        #expect(await slots.holding("host") == 1, "the waiter does not run while the slot is held")
        await slots.release(host)
        try await BoundedWait.value(of: waiter, "the waiter is let in")
        #expect(await slots.waiting == 0)
        #expect(await slots.holding("host") == 1)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let slots = JobSlots()
        let host = [SlotLimit.host(1)]
        try await slots.acquire(host)
        let waiter = Task { try await slots.acquire(host) }
        try await BoundedWait.until("the waiter queues") { await slots.waiting == 1 }
        waiter.cancel()
        await #expect(throws: CancellationError.self) {
            try await BoundedWait.value(of: waiter, "the cancelled waiter returns")
        }
        #expect(await slots.waiting == 0)
        #expect(await slots.holding("host") == 1, "the cancelled waiter took no slot")
        await slots.release(host)
        try await slots.acquire(host)
        #expect(await slots.holding("host") == 1)
    }

    @Test func aWaiterCancelledBeforeItQueuesNeverWaits() async throws {
        let slots = JobSlots()
        let host = [SlotLimit.host(1)]
        try await slots.acquire(host)
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await slots.acquire(host)
        }
        await #expect(throws: CancellationError.self) {
            try await BoundedWait.value(of: waiter, "the cancelled acquire returns")
        }
        #expect(await slots.waiting == 0)
        #expect(await slots.holding("host") == 1)
    }

    @Test func aBusyTargetDoesNotHoldBackAJobForAnotherTarget() async throws {
        let slots = JobSlots()
        let toLocal = [SlotLimit.host(3), .target("local", 1)]
        let toOffsite = [SlotLimit.host(3), .target("offsite", 1)]
        try await slots.acquire(toLocal)
        let secondLocal = Task { try await slots.acquire(toLocal) }
        try await BoundedWait.until("the second local job queues") { await slots.waiting == 1 }
        // Younger, bound elsewhere: it runs at once although an older job waits.
        let offsite = Task { try await slots.acquire(toOffsite) }
        try await BoundedWait.value(of: offsite, "the offsite job runs at once")
        #expect(await slots.waiting == 1)
        #expect(await slots.holding("host") == 2)
        await slots.release(toLocal)
        try await BoundedWait.value(of: secondLocal, "the second local job is let in")
        #expect(await slots.holding("target:local") == 1)
        #expect(await slots.holding("host") == 2)
    }

    @Test func theHostLimitBindsEveryTarget() async throws {
        let slots = JobSlots()
        let toLocal = [SlotLimit.host(2), .target("local", 2)]
        let toOffsite = [SlotLimit.host(2), .target("offsite", 2)]
        try await slots.acquire(toLocal)
        try await slots.acquire(toLocal)
        let offsite = Task { try await slots.acquire(toOffsite) }
        try await BoundedWait.until("the offsite job queues") { await slots.waiting == 1 }
        #expect(await slots.holding("target:offsite") == 0)
        await slots.release(toLocal)
        try await BoundedWait.value(of: offsite, "the offsite job is let in")
        #expect(await slots.holding("target:offsite") == 1)
        #expect(await slots.holding("host") == 2)
    }

    @Test func aPolicyLimitQueuesItsOwnJobsOnly() async throws {
        let slots = JobSlots()
        let nightly = [SlotLimit.host(4), .target("default", 4), .policy("nightly", 1)]
        let adHoc = [SlotLimit.host(4), .target("default", 4)]
        try await slots.acquire(nightly)
        let second = Task { try await slots.acquire(nightly) }
        try await BoundedWait.until("the second nightly job queues") { await slots.waiting == 1 }
        let unbound = Task { try await slots.acquire(adHoc) }
        try await BoundedWait.value(of: unbound, "the ad hoc job runs at once")
        #expect(await slots.waiting == 1)
        await slots.release(nightly)
        try await BoundedWait.value(of: second, "the second nightly job is let in")
        #expect(await slots.holding("policy:nightly") == 1)
        #expect(await slots.holding("host") == 2)
    }

    @Test func theOldestWaiterThatFitsGoesFirst() async throws {
        let slots = JobSlots()
        let limits = [SlotLimit.host(1)]
        try await slots.acquire(limits)
        let order = OrderLog()
        let first = Task {
            try await slots.acquire(limits)
            await order.append(1)
        }
        try await BoundedWait.until("the first waiter queues") { await slots.waiting == 1 }
        let second = Task {
            try await slots.acquire(limits)
            await order.append(2)
        }
        try await BoundedWait.until("the second waiter queues") { await slots.waiting == 2 }
        await slots.release(limits)
        try await BoundedWait.value(of: first, "the first waiter is let in")
        #expect(await slots.waiting == 1)
        #expect(await order.entries == [1])
        await slots.release(limits)
        try await BoundedWait.value(of: second, "the second waiter is let in")
        #expect(await order.entries == [1, 2])
    }
}

private actor OrderLog {
    var entries: [Int] = []
    func append(_ entry: Int) { entries.append(entry) }
}
