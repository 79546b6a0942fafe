import APIModel
import Foundation
import Testing

@testable import Engine

@Suite struct TaskRegistryTests {
    @Test func finishedTasksAreForgottenOnceOldRunningOnesNever() async throws {
        let registry = TaskRegistry()
        let (done, _) = try await registry.reserve(vmName: "a", vmUUID: "uuid-a", kind: "backup")
        let (running, _) = try await registry.reserve(vmName: "b", vmUUID: "uuid-b", kind: "backup")
        await registry.update(running.id) { $0.state = .running }
        await registry.finish(done.id) { $0.state = .succeeded }

        #expect(await registry.forget(finishedBefore: Date().addingTimeInterval(-60)) == 0, "finished just now")
        #expect(await registry.forget(finishedBefore: Date().addingTimeInterval(60)) == 1)

        #expect(await registry.all().map(\.id) == [running.id])
        #expect(await registry.info(done.id) == nil)
        // The forgotten task's VM is free; the running one's is still busy.
        _ = try await registry.reserve(vmName: "a", vmUUID: "uuid-a", kind: "backup")
        let busy = await #expect(throws: EngineError.self) {
            try await registry.reserve(vmName: "b", vmUUID: "uuid-b", kind: "backup")
        }
        #expect(busy?.code == .vmBusy)
        #expect(busy?.message == "VM b is busy with task \(running.id)")
    }
}
