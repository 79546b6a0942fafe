import APIModel
import Foundation
import Testing

@testable import Targets

private let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"

private func scratchRoot() throws -> String {
    let root = NSTemporaryDirectory() + "vmbt-target-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}

private func manifest(for id: BackupID, created: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> Manifest {
    Manifest(
        schemaVersion: Manifest.currentSchemaVersion, vmName: "web01", vmUUID: vm, backupID: id.rawValue,
        name: "nightly", created: created, parent: nil, consistency: .filesystem,
        disks: [
            ManifestDisk(
                target: "vda", method: .qcow2, format: "qcow2", virtualSize: 1 << 30, storedBytes: 4096,
                sha256: String(repeating: "ab", count: 32), file: "vda.qcow2"),
            ManifestDisk(target: "sda", excluded: "cdrom"),
        ])
}

@Suite struct DirectoryTargetTests {
    @Test func aPartialBackupIsNeverListed() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let partial = try await target.beginPartial(vmUUID: vm, backupID: BackupID.generate())
        try await partial.writeDomainXML("<domain/>")
        #expect(partial.directory.hasPrefix(root + "/" + vm + "/.partial-"))
        #expect(try await target.list(vmUUID: vm).isEmpty)
    }

    @Test func publishingMakesTheBackupListedWithManifestAndFiles() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let id = BackupID.generate()
        let partial = try await target.beginPartial(vmUUID: vm, backupID: id)
        try await partial.writeDomainXML("<domain/>")
        try Data("image".utf8).write(to: URL(fileURLWithPath: partial.imagePath(forDisk: "vda")))
        let stored = try await partial.commit(manifest(for: id))

        #expect(stored.location == root + "/" + vm + "/" + id.rawValue)
        #expect(!FileManager.default.fileExists(atPath: partial.directory))
        for file in ["manifest.json", "domain.xml", "vda.qcow2"] {
            #expect(FileManager.default.fileExists(atPath: stored.location + "/" + file), "\(file)")
        }
        #expect(try await target.list(vmUUID: vm) == [stored])
        #expect(try await target.backup(vmUUID: vm, id: id.rawValue) == stored)
        #expect(stored.summary().location == stored.location)
    }

    @Test func abortRemovesThePartialFolder() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let partial = try await target.beginPartial(vmUUID: vm, backupID: BackupID.generate())
        try await partial.writeDomainXML("<domain/>")
        await partial.abort()
        #expect(!FileManager.default.fileExists(atPath: partial.directory))
        await partial.abort()
    }

    @Test func aFolderWithACorruptOrMissingManifestIsSkipped() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let good = BackupID.generate(at: Date(timeIntervalSince1970: 1_800_000_000))
        _ = try await target.beginPartial(vmUUID: vm, backupID: good).commit(manifest(for: good))
        let corrupt = root + "/" + vm + "/20300101T000000Z-0001"
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: corrupt + "/manifest.json"))
        try FileManager.default.createDirectory(
            atPath: root + "/" + vm + "/20300101T000000Z-0002", withIntermediateDirectories: true)
        #expect(try await target.list(vmUUID: vm).map(\.manifest.backupID) == [good.rawValue])
    }

    @Test func backupsAreListedOldestFirst() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let dates = [1_800_000_300.0, 1_800_000_000, 1_800_000_600].map(Date.init(timeIntervalSince1970:))
        for date in dates {
            let id = BackupID.generate(at: date)
            _ = try await target.beginPartial(vmUUID: vm, backupID: id).commit(manifest(for: id, created: date))
        }
        #expect(try await target.list(vmUUID: vm).map(\.manifest.created) == dates.sorted())
    }

    @Test func anUnsafeVMUUIDOrBackupIDIsRefused() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        await #expect(throws: TargetError.self) {
            try await target.beginPartial(vmUUID: "../escape", backupID: BackupID.generate())
        }
        await #expect(throws: TargetError.self) { try await target.list(vmUUID: "..") }
        await #expect(throws: TargetError.self) { try await target.backup(vmUUID: vm, id: "../../etc") }
        #expect(!FileManager.default.fileExists(atPath: root + "/../escape"))
    }

    @Test func publishingAManifestOfAnotherBackupIsRefused() async throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let partial = try await target.beginPartial(vmUUID: vm, backupID: BackupID.generate())
        await #expect(throws: TargetError.self) {
            try await partial.commit(manifest(for: BackupID.generate(at: .distantPast)))
        }
        #expect(try await target.list(vmUUID: vm).isEmpty)
    }
}
