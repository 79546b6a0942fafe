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

    @Test func createsAMissingRootWithItsParents() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root + "/nested/backups", executor: testExecutor)
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: target.root, isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try DirectoryTarget(root: target.root, executor: testExecutor).root == target.root)
    }

    @Test func aRootThatIsAFileIsRefused() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/file", contents: Data())
        #expect(throws: TargetError.self) { try DirectoryTarget(root: root + "/file", executor: testExecutor) }
    }

    @Test func imagesAreNamedAfterTheDiskInsideThePartialFolder() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = try #require(BackupID(validating: "20261122T013000Z-3f9a"))
        let partial = try await DirectoryTarget(root: root, executor: testExecutor).beginPartial(
            vmUUID: vm, backupID: id)
        #expect(partial.directory == "\(root)/\(vm)/.partial-20261122T013000Z-3f9a")
        #expect(partial.imagePath(forDisk: "vdb") == "\(root)/\(vm)/.partial-20261122T013000Z-3f9a/vdb.qcow2")
    }

    @Test func anImageMadeAtALocalPathIsMadeInPlaceInThePartialFolder() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = try #require(BackupID(validating: "20261122T013000Z-3f9a"))
        let partial = try await DirectoryTarget(root: root, executor: testExecutor).beginPartial(
            vmUUID: vm, backupID: id)
        let path = try await partial.writeImage(forDisk: "vdb") { path in
            try Data("qcow2".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        #expect(path == partial.imagePath(forDisk: "vdb"), "the streamer writes the final file; nothing is copied")
        #expect(FileManager.default.contents(atPath: path) == Data("qcow2".utf8))
    }

    @Test func aBackupIdCannotBeBegunTwice() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let id = BackupID.generate()
        let partial = try await target.beginPartial(vmUUID: vm, backupID: id)
        await #expect(throws: TargetError.self) { try await target.beginPartial(vmUUID: vm, backupID: id) }
        _ = try await partial.commit(manifest(id, vm: vm))
        let error = await #expect(throws: TargetError.self) { try await target.beginPartial(vmUUID: vm, backupID: id) }
        #expect(error?.description.contains("already exists") == true)
    }

    @Test func backupFoldersAreReadableByTheOwnerOnly() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let id = BackupID.generate()
        let stored = try await DirectoryTarget(root: root, executor: testExecutor).beginPartial(
            vmUUID: vm, backupID: id
        ).commit(manifest(id, vm: vm))
        let attributes = try FileManager.default.attributesOfItem(atPath: stored.location)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func aManifestNamingAnotherVMOrBackupIsSkipped() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let target = try DirectoryTarget(root: root, executor: testExecutor)
        let id = BackupID.generate()
        let stored = try await target.beginPartial(vmUUID: vm, backupID: id).commit(manifest(id, vm: vm))
        let copy = "\(root)/\(vm)/20300101T000000Z-0001"
        try FileManager.default.copyItem(atPath: stored.location, toPath: copy)
        #expect(try await target.list(vmUUID: vm) == [stored])
        for id in ["20300101T000000Z-0001", "20300101T000000Z-ffff"] {
            let error = await #expect(throws: TargetError.self) { try await target.backup(vmUUID: vm, id: id) }
            #expect(error?.code == .notFound)
        }
    }

    @Test func anUnknownVMHasNoBackups() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try await DirectoryTarget(root: root, executor: testExecutor).list(vmUUID: vm).isEmpty)
    }

    @Test func errorsNameWhatPathAndErrno() {
        let error = TargetError.system("create folder", path: "/nope/x", code: ENOENT)
        #expect(error.description == "cannot create folder /nope/x: No such file or directory")
        #expect(error.errno == ENOENT)
    }

    @Test func theSummaryCarriesTheManifestAndTheLocation() async throws {
        let id = try #require(BackupID(validating: "20261122T013000Z-3f9a"))
        var manifest = manifest(id, vm: vm)
        manifest.name = "before upgrade"
        manifest.parent = "20261121T013000Z-0000"
        let summary = StoredBackup(manifest: manifest, location: "/b/\(vm)/\(id)").summary()
        #expect(summary.id == id.rawValue)
        #expect(summary.name == "before upgrade")
        #expect(summary.parent == "20261121T013000Z-0000")
        #expect(summary.consistency == .crash)
        #expect(summary.location == "/b/\(vm)/\(id)")
    }
}
