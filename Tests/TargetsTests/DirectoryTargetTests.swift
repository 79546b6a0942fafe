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
    @Test func aPartialBackupIsNeverListed() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let partial = try target.begin(vmUUID: vm, backupID: BackupID.generate())
        try partial.writeDomainXML("<domain/>")
        #expect(partial.directory.hasPrefix(root + "/" + vm + "/.partial-"))
        #expect(try target.list(vmUUID: vm).isEmpty)
    }

    @Test func publishingMakesTheBackupListedWithManifestAndFiles() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let id = BackupID.generate()
        let partial = try target.begin(vmUUID: vm, backupID: id)
        try partial.writeDomainXML("<domain/>")
        try Data("image".utf8).write(to: URL(fileURLWithPath: partial.imagePath(forDisk: "vda")))
        let stored = try partial.publish(manifest(for: id))

        #expect(stored.directory == root + "/" + vm + "/" + id.rawValue)
        #expect(!FileManager.default.fileExists(atPath: partial.directory))
        for file in ["manifest.json", "domain.xml", "vda.qcow2"] {
            #expect(FileManager.default.fileExists(atPath: stored.directory + "/" + file), "\(file)")
        }
        #expect(try target.list(vmUUID: vm) == [stored])
        #expect(try target.backup(vmUUID: vm, id: id.rawValue) == stored)
        #expect(stored.summary().location == stored.directory)
    }

    @Test func discardRemovesThePartialFolder() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let partial = try target.begin(vmUUID: vm, backupID: BackupID.generate())
        try partial.writeDomainXML("<domain/>")
        partial.discard()
        #expect(!FileManager.default.fileExists(atPath: partial.directory))
        partial.discard()
    }

    @Test func aFolderWithACorruptOrMissingManifestIsSkipped() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let good = BackupID.generate(at: Date(timeIntervalSince1970: 1_800_000_000))
        _ = try target.begin(vmUUID: vm, backupID: good).publish(manifest(for: good))
        let corrupt = root + "/" + vm + "/20300101T000000Z-0001"
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: corrupt + "/manifest.json"))
        try FileManager.default.createDirectory(
            atPath: root + "/" + vm + "/20300101T000000Z-0002", withIntermediateDirectories: true)
        #expect(try target.list(vmUUID: vm).map(\.manifest.backupID) == [good.rawValue])
    }

    @Test func backupsAreListedOldestFirst() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let dates = [1_800_000_300.0, 1_800_000_000, 1_800_000_600].map(Date.init(timeIntervalSince1970:))
        for date in dates {
            let id = BackupID.generate(at: date)
            _ = try target.begin(vmUUID: vm, backupID: id).publish(manifest(for: id, created: date))
        }
        #expect(try target.list(vmUUID: vm).map(\.manifest.created) == dates.sorted())
    }

    @Test func anUnsafeVMUUIDOrBackupIDIsRefused() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        #expect(throws: TargetError.self) { try target.begin(vmUUID: "../escape", backupID: BackupID.generate()) }
        #expect(throws: TargetError.self) { try target.list(vmUUID: "..") }
        #expect(throws: TargetError.self) { try target.backup(vmUUID: vm, id: "../../etc") }
        #expect(!FileManager.default.fileExists(atPath: root + "/../escape"))
    }

    @Test func publishingAManifestOfAnotherBackupIsRefused() throws {
        let root = try scratchRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let partial = try target.begin(vmUUID: vm, backupID: BackupID.generate())
        #expect(throws: TargetError.self) { try partial.publish(manifest(for: BackupID.generate(at: .distantPast))) }
        #expect(try target.list(vmUUID: vm).isEmpty)
    }
}
