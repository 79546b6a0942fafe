import APIModel
import Catalog
import Foundation
import Logging
import Scheduling
import Targets
import Testing

@testable import Engine

/// Retention after a backup leaves a backup that failed verification in place, whatever the
/// policy; an explicit delete still removes it.
@Suite struct FailedBackupRetentionTests {
    private static func stored(hours: Double) -> StoredBackup {
        let created = Date(timeIntervalSince1970: 1_800_000_000 + hours * 3600)
        let id = BackupID.generate(at: created).rawValue
        let manifest = Manifest(
            vmName: "web01", vmUUID: VerifyFixture.vmUUID, backupID: id, created: created, consistency: .crash,
            disks: [
                ManifestDisk(target: "vda", method: .offline, format: "qcow2", virtualSize: 1 << 20, file: "vda.qcow2")
            ]
        )
        return StoredBackup(manifest: manifest, location: "/nowhere/\(id)")
    }

    @Test func retentionKeepsAFailedBackupAndAnExplicitDeleteStillRemovesIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vmbt-verify-" + UUID().uuidString
        )
        .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = try BackupCatalog.inMemory()
        let engine = try BackupEngine(
            settings: BackupEngine.Settings(
                targets: [TargetSettings(name: "default", directory: directory)],
                vmRules: [VMRule(selector: .all, policy: "short")],
                policies: ["short": BackupPolicy(name: "short", retention: try RetentionPolicy(keepLast: 1))],
                timeZone: TimeZone(identifier: "UTC")!),
            catalog: catalog, identity: DaemonIdentity(host: "test", daemonID: "verify"), logger: Logger(label: "test"))
        let backups = [Self.stored(hours: 0), Self.stored(hours: 1), Self.stored(hours: 2)]
        for backup in backups { try await catalog.record(backup, target: "default") }
        let failed = backups[0].manifest.backupID
        try await catalog.recordVerification(
            .failed(VerificationProblem(disk: "vda", offset: 0, message: "bad"), at: Date()),
            vmUUID: VerifyFixture.vmUUID,
            id: failed)

        await engine.applyRetention(
            vmName: "web01", vmUUID: VerifyFixture.vmUUID, target: "default", logger: Logger(label: "test"))

        let left = try await catalog.backups(vmUUID: VerifyFixture.vmUUID).map(\.id)
        #expect(left == [failed, backups[2].manifest.backupID], "keep_last = 1 keeps the newest, and the failed one")

        // What `vmbackup delete` does once it has found the backup (the lookup needs libvirt).
        try await engine.remove(vmUUID: VerifyFixture.vmUUID, id: failed, vmName: "web01", target: "default")
        #expect(try await catalog.backups(vmUUID: VerifyFixture.vmUUID).map(\.id) == [backups[2].manifest.backupID])
    }
}
