import APIModel
import Catalog
import Foundation
import Testing

@Suite struct JournalTests {
    private func entry(_ jobID: String, started: Double = 0) -> JournalEntry {
        JournalEntry(
            jobID: jobID, vmUUID: Fixture.vm, vmName: "web01", backupID: "20261122T013000Z-3f9a", target: "default",
            targetDirectory: "/srv/backups",
            disks: [
                JournalDisk(target: "vda", kind: "file", sourcePath: "/img/vda.qcow2", format: "qcow2", method: .qcow2),
                JournalDisk(target: "vdb", kind: "block", sourcePath: "/dev/vg/data", format: "raw", method: .lvm),
            ],
            started: Fixture.epoch.addingTimeInterval(started))
    }

    @Test func anEntryFollowsItsJobAndIsGoneWhenClosed() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.journal(entry("job-1"))
        try await catalog.journal(jobID: "job-1", phase: .freezing)
        try await catalog.journal(jobID: "job-1", phase: .snapshotting)

        let open = try await catalog.journalEntries()
        #expect(open.count == 1)
        #expect(open.first?.phase == .snapshotting)
        #expect(open.first?.disks == entry("job-1").disks)
        #expect(open.first?.started == Fixture.epoch)

        try await catalog.closeJournal(jobID: "job-1")
        #expect(try await catalog.journalEntries().isEmpty)
        try await catalog.journal(jobID: "job-1", phase: .thawed)
        #expect(try await catalog.journalEntries().isEmpty, "a closed entry is not brought back")
    }

    @Test func entriesAreListedOldestFirstAndKeepTheirProblem() async throws {
        let catalog = try BackupCatalog.inMemory()
        var late = entry("late", started: 60)
        late.problem = "overlay kept: the VM is not running"
        try await catalog.journal(late)
        try await catalog.journal(entry("early"))
        let open = try await catalog.journalEntries()
        #expect(open.map(\.jobID) == ["early", "late"])
        #expect(open.last?.problem == "overlay kept: the VM is not running")
    }

    @Test func theJournalSurvivesReopeningTheFile() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        do {
            let catalog = try BackupCatalog(path: folder + "/catalog.sqlite")
            try await catalog.journal(entry("job-1"))
            try await catalog.journal(jobID: "job-1", phase: .thawed)
        }
        let reopened = try BackupCatalog(path: folder + "/catalog.sqlite")
        #expect(try await reopened.journalEntries().map(\.phase) == [.thawed])
    }

    @Test(arguments: JournalPhase.allCases)
    func eachPhaseSaysWhatMayNeedUndoing(phase: JournalPhase) {
        let frozen: Set<JournalPhase> = [.freezing, .snapshotting, .snapshotted]
        let snapshots: Set<JournalPhase> = [.snapshotting, .snapshotted, .thawed]
        #expect(phase.mayBeFrozen == frozen.contains(phase))
        #expect(phase.maySnapshotsExist == snapshots.contains(phase))
    }
}
