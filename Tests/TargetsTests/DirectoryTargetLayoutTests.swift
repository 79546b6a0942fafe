import APIModel
import Foundation
import Testing

@testable import Targets

@Suite struct DirectoryTargetLayoutTests {
    let root = NSTemporaryDirectory() + "vmbt-layout-" + UUID().uuidString
    let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"

    private func manifest(_ id: BackupID, vm: String) -> Manifest {
        Manifest(vmName: "web01", vmUUID: vm, backupID: id.rawValue, created: id.date!, consistency: .crash, disks: [])
    }

    @Test func createsAMissingRootWithItsParents() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root + "/nested/backups")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: target.root, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try DirectoryTarget(root: target.root).root == target.root)
    }

    @Test func aRootThatIsAFileIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/file", contents: Data())
        #expect(throws: TargetError.self) { try DirectoryTarget(root: root + "/file") }
    }

    @Test func imagesAreNamedAfterTheDiskInsideThePartialFolder() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = try #require(BackupID(validating: "20261122T013000Z-3f9a"))
        let partial = try DirectoryTarget(root: root).begin(vmUUID: vm, backupID: id)
        #expect(partial.directory == "\(root)/\(vm)/.partial-20261122T013000Z-3f9a")
        #expect(partial.imagePath(forDisk: "vdb") == "\(root)/\(vm)/.partial-20261122T013000Z-3f9a/vdb.qcow2")
    }

    @Test func aBackupIdCannotBeBegunTwice() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let id = BackupID.generate()
        let partial = try target.begin(vmUUID: vm, backupID: id)
        #expect(throws: TargetError.self) { try target.begin(vmUUID: vm, backupID: id) }
        _ = try partial.publish(manifest(id, vm: vm))
        let error = #expect(throws: TargetError.self) { try target.begin(vmUUID: vm, backupID: id) }
        #expect(error?.description.contains("already exists") == true)
    }

    @Test func backupFoldersAreReadableByTheOwnerOnly() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = BackupID.generate()
        let stored = try DirectoryTarget(root: root).begin(vmUUID: vm, backupID: id).publish(manifest(id, vm: vm))
        let attributes = try FileManager.default.attributesOfItem(atPath: stored.directory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func aManifestNamingAnotherVMOrBackupIsSkipped() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root)
        let id = BackupID.generate()
        let stored = try target.begin(vmUUID: vm, backupID: id).publish(manifest(id, vm: vm))
        let copy = "\(root)/\(vm)/20300101T000000Z-0001"
        try FileManager.default.copyItem(atPath: stored.directory, toPath: copy)
        #expect(try target.list(vmUUID: vm) == [stored])
        #expect(try target.backup(vmUUID: vm, id: "20300101T000000Z-0001") == nil)
        #expect(try target.backup(vmUUID: vm, id: "20300101T000000Z-ffff") == nil)
    }

    @Test func anUnknownVMHasNoBackups() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try DirectoryTarget(root: root).list(vmUUID: vm).isEmpty)
    }

    @Test func errorsNameWhatPathAndErrno() {
        let error = TargetError.system("create folder", path: "/nope/x", code: ENOENT)
        #expect(error.description == "cannot create folder /nope/x: No such file or directory")
        #expect(error.errno == ENOENT)
    }

    @Test func theSummaryCarriesTheManifestAndTheLocation() throws {
        let id = try #require(BackupID(validating: "20261122T013000Z-3f9a"))
        var manifest = manifest(id, vm: vm)
        manifest.name = "before upgrade"
        manifest.parent = "20261121T013000Z-0000"
        let summary = StoredBackup(manifest: manifest, directory: "/b/\(vm)/\(id)").summary()
        #expect(summary.id == id.rawValue)
        #expect(summary.name == "before upgrade")
        #expect(summary.parent == "20261121T013000Z-0000")
        #expect(summary.consistency == .crash)
        #expect(summary.location == "/b/\(vm)/\(id)")
    }
}
