import Testing

@testable import Engine

@Suite struct JobSlotsTests {
    @Test func aWaiterRunsWhenASlotIsReleased() async throws {
        let slots = JobSlots(1)
        try await slots.acquire()
        let waiter = Task { try await slots.acquire() }
        while await slots.waiting == 0 { await Task.yield() }
        await slots.release()
        try await waiter.value
        #expect(await slots.waiting == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let slots = JobSlots(1)
        try await slots.acquire()
        let waiter = Task { try await slots.acquire() }
        while await slots.waiting == 0 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await slots.waiting == 0)
        await slots.release()
        try await slots.acquire()
    }
}
