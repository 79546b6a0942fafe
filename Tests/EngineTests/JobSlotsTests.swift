import Testing

@testable import Engine

@Suite struct JobSlotsTests {
    @Test func aWaiterRunsWhenASlotIsReleased() async throws {
        let slots = JobSlots()
        let host = [SlotLimit.host(1)]
        try await slots.acquire(host)
        let waiter = Task { try await slots.acquire(host) }
        while await slots.waiting == 0 { await Task.yield() }
        await slots.release(host)
        try await waiter.value
        #expect(await slots.waiting == 0)
        #expect(await slots.holding("host") == 1)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let slots = JobSlots()
        let host = [SlotLimit.host(1)]
        try await slots.acquire(host)
        let waiter = Task { try await slots.acquire(host) }
        while await slots.waiting == 0 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await slots.waiting == 0)
        await slots.release(host)
        try await slots.acquire(host)
    }

    @Test func aBusyTargetDoesNotHoldBackAJobForAnotherTarget() async throws {
        let slots = JobSlots()
        let toLocal = [SlotLimit.host(3), .target("local", 1)]
        let toOffsite = [SlotLimit.host(3), .target("offsite", 1)]
        try await slots.acquire(toLocal)
        let secondLocal = Task { try await slots.acquire(toLocal) }
        while await slots.waiting == 0 { await Task.yield() }
        // Younger, bound elsewhere: it runs at once although an older job waits.
        try await slots.acquire(toOffsite)
        #expect(await slots.waiting == 1)
        #expect(await slots.holding("host") == 2)
        await slots.release(toLocal)
        try await secondLocal.value
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
        while await slots.waiting == 0 { await Task.yield() }
        #expect(await slots.holding("target:offsite") == 0)
        await slots.release(toLocal)
        try await offsite.value
        #expect(await slots.holding("target:offsite") == 1)
        #expect(await slots.holding("host") == 2)
    }

    @Test func aPolicyLimitQueuesItsOwnJobsOnly() async throws {
        let slots = JobSlots()
        let nightly = [SlotLimit.host(4), .target("default", 4), .policy("nightly", 1)]
        let adHoc = [SlotLimit.host(4), .target("default", 4)]
        try await slots.acquire(nightly)
        let second = Task { try await slots.acquire(nightly) }
        while await slots.waiting == 0 { await Task.yield() }
        try await slots.acquire(adHoc)
        #expect(await slots.waiting == 1)
        await slots.release(nightly)
        try await second.value
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
        while await slots.waiting < 1 { await Task.yield() }
        let second = Task {
            try await slots.acquire(limits)
            await order.append(2)
        }
        while await slots.waiting < 2 { await Task.yield() }
        await slots.release(limits)
        try await first.value
        #expect(await slots.waiting == 1)
        await slots.release(limits)
        try await second.value
        #expect(await order.entries == [1, 2])
    }
}

private actor OrderLog {
    var entries: [Int] = []
    func append(_ entry: Int) { entries.append(entry) }
}
