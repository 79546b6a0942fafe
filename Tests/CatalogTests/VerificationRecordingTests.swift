import APIModel
import Catalog
import Foundation
import Testing

/// The last verification of each backup: shown with the backup, replaced by the next one, kept
/// across the rebuild the daemon makes at every start, gone with its backup.
@Suite struct VerificationRecordingTests {
    private static let failure = VerificationProblem(
        disk: "vda", offset: 3 << 20, message: "chunk 3 (offset 3145728) should hold SHA-256 ab but holds zeros")
    private static let at = Fixture.epoch.addingTimeInterval(86_400)

    @Test func aRecordedVerificationIsShownWithItsBackup() async throws {
        let catalog = try BackupCatalog.inMemory()
        let backup = Fixture.stored(hours: 0)
        let other = Fixture.stored(hours: 1)
        try await catalog.record(backup, target: "default")
        try await catalog.record(other, target: "default")
        let verification = Verification.failed(Self.failure, at: Self.at, task: "t1")

        let recorded = try await catalog.recordVerification(verification, vmUUID: Fixture.vm, id: backup.id)

        #expect(recorded.verification == verification)
        #expect(recorded.failedVerification)
        #expect(recorded.summary().verification == verification)
        #expect(try await catalog.backups(vmUUID: Fixture.vm).map(\.verification) == [verification, nil])
        #expect(try await catalog.roots(vmUUID: Fixture.vm).first?.verification == verification)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: other.id)?.failedVerification == false)
        #expect(try await catalog.verification(vmUUID: Fixture.vm, id: backup.id) == verification)
    }

    @Test func theNextVerificationReplacesTheLast() async throws {
        let catalog = try BackupCatalog.inMemory()
        let backup = Fixture.stored(hours: 0)
        try await catalog.record(backup, target: "default")
        try await catalog.recordVerification(
            .failed(Self.failure, at: Self.at, task: "t1"), vmUUID: Fixture.vm, id: backup.id)

        let passed = Verification.passed(at: Self.at.addingTimeInterval(60), task: "t2")
        try await catalog.recordVerification(passed, vmUUID: Fixture.vm, id: backup.id)

        let shown = try await catalog.backup(vmUUID: Fixture.vm, id: backup.id)
        #expect(shown?.verification == passed)
        #expect(shown?.failedVerification == false)
    }

    @Test func aVerificationOfABackupTheCatalogDoesNotHaveIsRefused() async throws {
        let catalog = try BackupCatalog.inMemory()

        await #expect(throws: CatalogError.self) {
            try await catalog.recordVerification(.passed(at: Self.at), vmUUID: Fixture.vm, id: "20270101T000000Z-0000")
        }
        #expect(try await catalog.verification(vmUUID: Fixture.vm, id: "20270101T000000Z-0000") == nil)
    }

    @Test func aRebuildThatFindsTheBackupAgainKeepsItsVerification() async throws {
        let catalog = try BackupCatalog.inMemory()
        let backup = Fixture.stored(hours: 0)
        try await catalog.record(backup, target: "default")
        let verification = Verification.failed(Self.failure, at: Self.at, task: "t1")
        try await catalog.recordVerification(verification, vmUUID: Fixture.vm, id: backup.id)

        try await catalog.rebuild(from: [backup], target: "default")

        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: backup.id)?.verification == verification)
    }

    @Test func aRebuildDropsTheVerificationsOfItsTargetsBackupsThatAreGone() async throws {
        let catalog = try BackupCatalog.inMemory()
        let gone = Fixture.stored(hours: 0)
        let kept = Fixture.stored(hours: 1)
        let offsite = Fixture.stored(hours: 2)
        try await catalog.record(gone, target: "default")
        try await catalog.record(kept, target: "default")
        try await catalog.record(offsite, target: "offsite")
        for backup in [gone, kept, offsite] {
            try await catalog.recordVerification(.passed(at: Self.at), vmUUID: Fixture.vm, id: backup.id)
        }

        try await catalog.rebuild(from: [kept], target: "default")
        // The backup comes back (another daemon's copy, say): its old verification does not.
        try await catalog.record(gone, target: "default")

        #expect(try await catalog.verification(vmUUID: Fixture.vm, id: gone.id) == nil)
        #expect(try await catalog.verification(vmUUID: Fixture.vm, id: kept.id) != nil)
        #expect(try await catalog.verification(vmUUID: Fixture.vm, id: offsite.id) != nil, "another target's stays")
    }

    @Test func aTargetTakenOutOfTheConfigKeepsItsVerificationsForWhenItComesBack() async throws {
        let catalog = try BackupCatalog.inMemory()
        let backup = Fixture.stored(hours: 0)
        try await catalog.record(backup, target: "offsite")
        let verification = Verification.passed(at: Self.at)
        try await catalog.recordVerification(verification, vmUUID: Fixture.vm, id: backup.id)

        try await catalog.forgetTargets(except: ["default"])
        try await catalog.rebuild(from: [backup], target: "offsite")

        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: backup.id)?.verification == verification)
    }

    @Test func removingABackupRemovesItsVerification() async throws {
        let catalog = try BackupCatalog.inMemory()
        let backup = Fixture.stored(hours: 0)
        try await catalog.record(backup, target: "default")
        try await catalog.recordVerification(.failed(Self.failure, at: Self.at), vmUUID: Fixture.vm, id: backup.id)

        try await catalog.remove(vmUUID: Fixture.vm, id: backup.id)
        try await catalog.record(backup, target: "default")

        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: backup.id)?.verification == nil)
    }

    /// What the daemon does at every start: opens the file and rebuilds every target from its
    /// manifests. The verification is still there, with every field.
    @Test func aVerificationSurvivesARestartAndTheRebuildAtStart() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        let backup = Fixture.stored(hours: 0)
        let verification = Verification.failed(
            VerificationProblem(disk: "vdb", file: "vdb.qcow2", offset: 1 << 40, message: "cut short"), at: Self.at,
            task: "t9")
        do {
            let catalog = try BackupCatalog(path: path)
            try await catalog.record(backup, target: "default")
            try await catalog.recordVerification(verification, vmUUID: Fixture.vm, id: backup.id)
        }

        let reopened = try BackupCatalog(path: path)
        try await reopened.rebuild(from: [backup], target: "default")

        #expect(try await reopened.backups(vmUUID: Fixture.vm).first?.verification == verification)
    }
}
