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

/// Whether the guest may be frozen is recorded apart from how far the snapshots got.
@Suite struct JournalFrozenFlagTests {
    private func entry(_ jobID: String) -> JournalEntry {
        JournalEntry(
            jobID: jobID, vmUUID: Fixture.vm, vmName: "web01", backupID: "20261122T013000Z-3f9a", target: "default",
            targetDirectory: "/srv/backups",
            disks: [
                JournalDisk(target: "vda", kind: "file", sourcePath: "/img/vda.qcow2", format: "qcow2", method: .qcow2)
            ],
            started: Fixture.epoch)
    }

    @Test func aJobThatNeverFreezesNeverMarksItsGuestFrozen() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.journal(entry("no-agent"))
        try await catalog.journal(jobID: "no-agent", phase: .snapshotting)
        try await catalog.journal(jobID: "no-agent", phase: .snapshotted)
        let open = try await catalog.journalEntries()
        #expect(open.map(\.phase) == [.snapshotted])
        #expect(open.map(\.guestMayBeFrozen) == [false], "snapshotted, streaming, but never frozen")
    }

    @Test func theFlagIsSetBeforeTheFreezeAndClearedByTheThaw() async throws {
        let catalog = try BackupCatalog.inMemory()
        try await catalog.journal(entry("agent"))
        try await catalog.journal(jobID: "agent", phase: .freezing, guestMayBeFrozen: true)
        try await catalog.journal(jobID: "agent", phase: .snapshotted)
        #expect(try await catalog.journalEntries().map(\.guestMayBeFrozen) == [true], "kept through the snapshots")
        try await catalog.journal(jobID: "agent", phase: .thawed, guestMayBeFrozen: false)
        let open = try await catalog.journalEntries()
        #expect(open.map(\.guestMayBeFrozen) == [false])
        #expect(open.map(\.phase) == [.thawed])
    }

    @Test(arguments: JournalPhase.allCases)
    func anEntryWithoutTheFlagTakesItFromItsPhase(phase: JournalPhase) throws {
        let json = """
            {"backupID":"20261122T013000Z-3f9a","disks":[],"jobID":"old","phase":"\(phase.rawValue)",
             "started":"2027-01-15T08:00:00Z","target":"default","targetDirectory":"/srv/backups",
             "vmName":"web01","vmUUID":"\(Fixture.vm)"}
            """
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(JournalEntry.self, from: Data(json.utf8))
        #expect(decoded.guestMayBeFrozen == phase.mayBeFrozen)
    }
}
