import APIModel
import Catalog
import Foundation
import Testing

@Suite struct CatalogFiguresTests {
    @Test func anEmptyCatalogHasNoFigures() async throws {
        let catalog = try BackupCatalog.inMemory()
        #expect(try await catalog.figures() == CatalogFigures())
    }

    @Test func storedBackupsAndBytesAreCountedPerVMAndTarget() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.record(Fixture.stored(hours: 1), target: "default")
        try await catalog.record(Fixture.stored(hours: 2), target: "default")
        try await catalog.record(Fixture.stored(hours: 3), target: "offsite")
        try await catalog.record(Fixture.stored(hours: 1, vm: Fixture.otherVM, vmName: "db01"), target: "default")

        let stored = try await catalog.figures().stored.sorted { ($0.vmName, $0.target) < ($1.vmName, $1.target) }
        #expect(
            stored == [
                .init(vmName: "db01", target: "default", backups: 1, storedBytes: 4096),
                .init(vmName: "web01", target: "default", backups: 2, storedBytes: 8192),
                .init(vmName: "web01", target: "offsite", backups: 1, storedBytes: 4096),
            ])
    }

    @Test func aRenamedVMIsNamedAsItsNewestBackupNamesIt() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.record(Fixture.stored(hours: 1, vmName: "old-name"), target: "default")
        try await catalog.record(Fixture.stored(hours: 2, vmName: "new-name"), target: "default")

        let figures = try await catalog.figures()
        #expect(figures.stored.map(\.vmName) == ["new-name"])
        #expect(Array(figures.lastSuccess.keys) == ["new-name"])
    }

    @Test func theLastSuccessIsTheLaterOfTheNewestBackupAndTheLastSucceededTask() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.record(Fixture.stored(hours: 1), target: "default")
        #expect(try await catalog.figures().lastSuccess == ["web01": Fixture.epoch.addingTimeInterval(3600)])

        let finished = Fixture.epoch.addingTimeInterval(3700)
        try await catalog.saveTask(task("t1", state: .succeeded, finished: finished))
        #expect(try await catalog.figures().lastSuccess == ["web01": finished])
    }

    @Test func theLastFailureComesFromTheFailedBackupTasks() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.saveTask(task("t1", state: .failed, finished: Fixture.epoch.addingTimeInterval(60)))
        try await catalog.saveTask(task("t2", state: .failed, finished: Fixture.epoch.addingTimeInterval(120)))
        try await catalog.saveTask(task("t3", state: .cancelled, finished: Fixture.epoch.addingTimeInterval(180)))

        let figures = try await catalog.figures()
        #expect(figures.lastFailure == ["web01": Fixture.epoch.addingTimeInterval(120)])
        #expect(figures.lastSuccess.isEmpty)
    }

    @Test func theLastVerificationOfAnyOfTheVMsBackupsCounts() async throws {
        let catalog = try BackupCatalog.inMemory()
        let first = Fixture.stored(hours: 1)
        let second = Fixture.stored(hours: 2)
        try await catalog.record(first, target: "default")
        try await catalog.record(second, target: "default")
        let passed = Fixture.epoch.addingTimeInterval(5 * 3600)
        let failed = Fixture.epoch.addingTimeInterval(6 * 3600)
        try await catalog.recordVerification(
            Verification(verified: failed, ok: false), vmUUID: Fixture.vm, id: first.id)
        try await catalog.recordVerification(
            Verification(verified: passed, ok: true), vmUUID: Fixture.vm, id: second.id)

        #expect(try await catalog.figures().lastVerification == [.init(vmName: "web01", at: failed, ok: false)])
    }

    @Test func theLastDrillOfEachVMCounts() async throws {
        let catalog = try BackupCatalog.inMemory()
        let failed = Fixture.epoch.addingTimeInterval(3600)
        let passed = Fixture.epoch.addingTimeInterval(7200)
        try await catalog.recordDrill(
            DrillResult(vm: "web01", vmUUID: Fixture.vm, backupID: "b1", at: failed, ok: false))
        try await catalog.recordDrill(
            DrillResult(vm: "web01", vmUUID: Fixture.vm, backupID: "b2", at: passed, ok: true))

        #expect(try await catalog.figures().lastDrill == [.init(vmName: "web01", at: passed, ok: true)])
    }

    private func task(_ id: String, state: TaskState, finished: Date) -> CatalogTask {
        CatalogTask(
            id: id, kind: .backup, vmName: "web01", vmUUID: Fixture.vm, state: state, created: Fixture.epoch,
            finished: finished)
    }
}
