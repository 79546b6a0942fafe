import APIModel
import Blocking
import Foundation
import Logging
import Snapshots
import Testing

/// Snapshot names and the refusals that need no filesystem.
struct BtrfsSnapshotNamingTests {
    let method = BtrfsSnapshot(
        vmName: "guest1", executor: BlockingExecutor(threads: 1),
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

    @Test func snapshotGoesInsideTheSubvolumeUnderTheMarkerAndBackupID() {
        let id = "20261122T013000Z-3f9a"
        #expect(
            BtrfsSnapshot.snapshotPath(forSubvolume: "/var/lib/libvirt/images", backupID: id)
                == "/var/lib/libvirt/images/.vmbackup-20261122T013000Z-3f9a")
        #expect(BtrfsSnapshot.snapshotPath(forSubvolume: "/srv/vms/", backupID: id) == "/srv/vms/.vmbackup-\(id)")
        #expect(BtrfsSnapshot.snapshotPath(forSubvolume: "/", backupID: id) == "/.vmbackup-\(id)")
    }

    @Test func backupIDIsReadBackFromASnapshotPath() {
        let path = BtrfsSnapshot.snapshotPath(forSubvolume: "/srv/vms", backupID: "20261122T013000Z-3f9a")
        #expect(BtrfsSnapshot.backupID(fromSnapshotPath: path) == "20261122T013000Z-3f9a")
        #expect(BtrfsSnapshot.backupID(fromSnapshotPath: "/srv/vms") == nil)
        #expect(BtrfsSnapshot.backupID(fromSnapshotPath: "/srv/vms/.vmbackup-") == nil)
    }

    @Test func methodIsNamedBtrfs() {
        #expect(method.name == .btrfs)
    }

    @Test func noDisksTakeNoSnapshot() async throws {
        #expect(try await method.snapshot([], backupID: "b1").isEmpty)
    }

    @Test func backupIDThatCannotBeAFileNameIsRefused() async {
        let disk = SelectedDisk(
            target: "vda", kind: .file, sourcePath: "/nonexistent/vda.img", format: "raw", method: .btrfs)
        let error = await #expect(throws: SnapshotError.self) {
            try await method.snapshot([disk], backupID: "../escape")
        }
        #expect(error?.step == .snapshot)
        #expect(error?.message.contains("cannot be part of a file name") == true)
    }

    @Test func releaseRefusesAnArtifactWithoutTheMarker() async {
        let disk = SelectedDisk(
            target: "vda", kind: .file, sourcePath: "/nonexistent/images/vda.img", format: "raw", method: .btrfs)
        let taken = TakenSnapshot(
            disk: disk, source: BackupSource(target: "vda", path: "/nonexistent/images/vda.img", format: "raw"),
            artifact: "/nonexistent/images")
        let error = await #expect(throws: SnapshotError.self) { try await method.release(taken) }
        #expect(error?.step == .cleanup)
        #expect(error?.disk == "vda")
    }

    @Test func releaseRefusesAnArtifactThatDoesNotHoldTheSource() async {
        let disk = SelectedDisk(
            target: "vda", kind: .file, sourcePath: "/nonexistent/vda.img", format: "raw", method: .btrfs)
        let taken = TakenSnapshot(
            disk: disk, source: BackupSource(target: "vda", path: "/nonexistent/vda.img", format: "raw"),
            artifact: "/nonexistent/.vmbackup-b1")
        let error = await #expect(throws: SnapshotError.self) { try await method.release(taken) }
        #expect(error?.step == .cleanup)
        #expect(error?.disk == "vda")
        #expect(
            error?.message
                == "refused to delete /nonexistent/.vmbackup-b1: it is not a vmbackup snapshot holding /nonexistent/vda.img"
        )
    }

    /// A disk with no artifact had no snapshot taken for it: release touches nothing, not even a
    /// folder that looks like a snapshot and holds the disk's source.
    @Test func releaseWithoutAnArtifactLeavesEverythingInPlace() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-naming-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent(".vmbackup-b1")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let image = folder.appendingPathComponent("vda.img").path
        #expect(FileManager.default.createFile(atPath: image, contents: Data("disk".utf8)))
        let disk = SelectedDisk(target: "vda", kind: .file, sourcePath: image, format: "raw", method: .btrfs)
        let taken = TakenSnapshot(
            disk: disk, source: BackupSource(target: "vda", path: image, format: "raw"), artifact: nil)
        try await method.release(taken)
        #expect(FileManager.default.contents(atPath: image) == Data("disk".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [".vmbackup-b1"])
    }
}
