import APIModel
import Foundation
import Testing

@testable import Targets

@Suite struct DirectoryTargetEditingTests {
    private let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"

    /// A target in a new folder holding one published backup.
    private func targetWithOneBackup() async throws -> (DirectoryTarget, StoredBackup) {
        let root = NSTemporaryDirectory() + "vmbt-target-edit-" + UUID().uuidString
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let id = BackupID.generate()
        let partial = try await target.beginPartial(vmUUID: vm, backupID: id)
        try Data("image".utf8).write(to: URL(fileURLWithPath: partial.imagePath(forDisk: "vda")))
        let manifest = Manifest(
            vmName: "web01", vmUUID: vm, backupID: id.rawValue, name: "nightly",
            created: Date(timeIntervalSince1970: 1_800_000_000), consistency: .crash,
            disks: [ManifestDisk(target: "vda", method: .qcow2, format: "qcow2", file: "vda.qcow2")])
        return (target, try await partial.commit(manifest))
    }

    @Test func updateRewritesOnlyNameDescriptionAndProtection() async throws {
        let (target, stored) = try await targetWithOneBackup()
        defer { try? FileManager.default.removeItem(atPath: target.root) }
        let id = stored.manifest.backupID
        let updated = try await target.update(vmUUID: vm, id: id) {
            $0.name = "before upgrade"
            $0.description = "kernel 6.12"
            $0.protected = true
            $0.vmName = "tampered"
            $0.disks = []
        }
        #expect(updated.manifest.name == "before upgrade")
        #expect(updated.manifest.description == "kernel 6.12")
        #expect(updated.manifest.protected)
        #expect(updated.manifest.vmName == "web01", "other fields stay as published")
        #expect(updated.manifest.disks == stored.manifest.disks)
        #expect(try await target.backup(vmUUID: vm, id: id) == updated, "the file on the target says the same")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: stored.location).sorted()
        #expect(leftovers == ["manifest.json", "vda.qcow2"], "no scratch file is left")
    }

    @Test func deleteRemovesTheFolderAndAnUnknownBackupIsAnError() async throws {
        let (target, stored) = try await targetWithOneBackup()
        defer { try? FileManager.default.removeItem(atPath: target.root) }
        #expect(try await target.vmUUIDs() == [vm])
        try await target.delete(vmUUID: vm, id: stored.manifest.backupID)
        #expect(try await target.list(vmUUID: vm).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: stored.location))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.root + "/" + vm).isEmpty)
        await #expect(throws: TargetError.self) { try await target.delete(vmUUID: vm, id: stored.manifest.backupID) }
        await #expect(throws: TargetError.self) {
            try await target.update(vmUUID: vm, id: "20261122T013000Z-3f9a") { _ in }
        }
    }
}
