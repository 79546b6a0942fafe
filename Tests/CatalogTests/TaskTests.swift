import APIModel
import Catalog
import Foundation
import Testing

@Suite struct TaskTests {
    private let failed = CatalogTask(
        id: "5e0c9a1e-6b7d-4f2a-8c3e-1d2f3a4b5c6d", kind: .backup, vmName: "web01", vmUUID: Fixture.vm,
        state: .failed, created: Fixture.epoch, started: Fixture.epoch.addingTimeInterval(1),
        finished: Fixture.epoch.addingTimeInterval(90), progress: TaskProgress(doneBytes: 4096, totalBytes: 1 << 30),
        error: APIErrorInfo(.freezeFailed, "cannot freeze web01: the guest agent timed out"))

    @Test func aSavedTaskReadsBackWithEveryField() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.saveTask(failed)
        #expect(try await catalog.task(id: failed.id) == failed)
    }

    @Test func savingATaskAgainReplacesIt() async throws {
        let catalog = try BackupCatalog.inMemory()
        var task = CatalogTask(
            id: "t1", kind: .backup, vmName: "web01", vmUUID: Fixture.vm, state: .running, created: Fixture.epoch)
        try await catalog.saveTask(task)
        task.state = .succeeded
        task.finished = Fixture.epoch.addingTimeInterval(60)
        task.resultBackupID = "20270115T080000Z-3f9a"
        try await catalog.saveTask(task)

        #expect(try await catalog.task(id: "t1") == task)
        #expect(try await catalog.tasks(limit: 10).count == 1)
    }

    @Test func tasksAreListedNewestFirstUpToTheLimit() async throws {
        let catalog = try BackupCatalog.inMemory()
        for minute in [3, 1, 4, 2] {
            try await catalog.saveTask(
                CatalogTask(
                    id: "t\(minute)", kind: .verify, vmName: "web01", state: .succeeded,
                    created: Fixture.epoch.addingTimeInterval(Double(minute) * 60)))
        }
        #expect(try await catalog.tasks(limit: 3).map(\.id) == ["t4", "t3", "t2"])
        #expect(try await catalog.tasks(limit: 0).isEmpty)
    }

    @Test func eachVMsLastFinishedTaskOfAKindIsTheOneThatEndedLast() async throws {
        let catalog = try BackupCatalog.inMemory()
        func task(_ id: String, _ kind: TaskKind, vm: String, finishedAt minute: Double?) -> CatalogTask {
            CatalogTask(
                id: id, kind: kind, vmName: vm, vmUUID: "uuid-\(vm)", state: .succeeded, created: Fixture.epoch,
                finished: minute.map { Fixture.epoch.addingTimeInterval($0 * 60) })
        }
        for saved in [
            task("web-1", .backup, vm: "web", finishedAt: 1), task("web-3", .backup, vm: "web", finishedAt: 3),
            task("web-2", .backup, vm: "web", finishedAt: 2), task("web-verify", .verify, vm: "web", finishedAt: 9),
            task("db-1", .backup, vm: "db", finishedAt: 5), task("db-running", .backup, vm: "db", finishedAt: nil),
        ] {
            try await catalog.saveTask(saved)
        }
        let last = try await catalog.lastFinishedTasks(kind: .backup)
        #expect(Set(last.map(\.id)) == ["web-3", "db-1"])
    }

    @Test func anUnknownTaskIsNil() async throws {
        #expect(try await BackupCatalog.inMemory().task(id: "nope") == nil)
    }

    @Test func tasksFinishedBeforeADateCanBeRemoved() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.saveTask(failed)
        let running = CatalogTask(
            id: "running", kind: .backup, vmName: "web01", state: .running, created: Fixture.epoch)
        try await catalog.saveTask(running)

        #expect(try await catalog.removeTasks(finishedBefore: Fixture.epoch.addingTimeInterval(3600)) == 1)
        #expect(try await catalog.tasks(limit: 10).map(\.id) == ["running"])
    }

    @Test func aTaskConvertsFromAndToTheAPIsTaskInfo() throws {
        let summary = Fixture.stored(hours: 0).summary()
        var info = TaskInfo(
            id: "t1", kind: "backup", vm: "web01", vmUUID: Fixture.vm, state: .succeeded, created: Fixture.epoch,
            finished: Fixture.epoch.addingTimeInterval(5), progress: TaskProgress(doneBytes: 10, totalBytes: 10),
            result: summary)
        info.step = "done"

        let task = CatalogTask(info)
        #expect(task.kind == .backup)
        #expect(task.resultBackupID == summary.id)
        let back = task.info(result: summary)
        #expect(back.id == "t1")
        #expect(back.vm == "web01")
        #expect(back.vmUUID == Fixture.vm)
        #expect(back.state == .succeeded)
        #expect(back.finished == info.finished)
        #expect(back.progress == info.progress)
        #expect(back.result == summary)
        #expect(back.step == nil)
    }
}
