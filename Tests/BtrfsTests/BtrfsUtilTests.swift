import Btrfs
import Foundation
import Testing

/// Runs against a real btrfs: a 256 MiB image formatted and loop-mounted for the suite.
@Suite(
    .serialized,
    .enabled(if: getuid() == 0, "needs root to mount a loop device"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.btrfs"), "needs mkfs.btrfs"))
struct BtrfsUtilTests {
    @Test func readOnlySnapshotOfASubvolumeCanBeCheckedAndDeleted() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        let source = volume.path("data")
        let snapshot = volume.path("data.snap")
        try BtrfsUtil.createSubvolume(source)
        try Data("guest disk".utf8).write(to: URL(fileURLWithPath: source + "/disk.img"))

        try BtrfsUtil.createSnapshot(source: source, destination: snapshot, readOnly: true)

        #expect(try BtrfsUtil.isSubvolume(snapshot))
        #expect(try BtrfsUtil.isReadOnly(snapshot))
        #expect(try !BtrfsUtil.isReadOnly(source))
        #expect(try BtrfsUtil.subvolumeID(snapshot) != BtrfsUtil.subvolumeID(source))
        #expect(try BtrfsUtil.subvolumeID(source + "/disk.img") == BtrfsUtil.subvolumeID(source))
        #expect(try Data(contentsOf: URL(fileURLWithPath: snapshot + "/disk.img")) == Data("guest disk".utf8))
        #expect(!FileManager.default.createFile(atPath: snapshot + "/new", contents: Data()))

        try BtrfsUtil.deleteSubvolume(path: snapshot)
        #expect(!FileManager.default.fileExists(atPath: snapshot))
        #expect(try BtrfsUtil.isSubvolume(source))
    }

    @Test func plainFoldersAndFilesOutsideBtrfsAreNotSubvolumes() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        try FileManager.default.createDirectory(atPath: volume.path("folder"), withIntermediateDirectories: false)
        #expect(try !BtrfsUtil.isSubvolume(volume.path("folder")))
        #expect(try BtrfsUtil.isSubvolume(volume.mountPoint))
        #expect(try BtrfsUtil.subvolumeID(volume.mountPoint) == 5)
        #expect(try !BtrfsUtil.isSubvolume("/proc"))
    }

    @Test func snapshottingOntoAnExistingPathFailsWithTheCallAndErrno() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        try BtrfsUtil.createSubvolume(volume.path("data"))
        try BtrfsUtil.createSubvolume(volume.path("taken"))
        let error = #expect(throws: BtrfsError.self) {
            try BtrfsUtil.createSnapshot(source: volume.path("data"), destination: volume.path("taken"), readOnly: true)
        }
        #expect(error?.call == "btrfs_util_create_snapshot")
        #expect(error?.errno == EEXIST)
        #expect(error?.description.contains("File exists") == true)
    }

    @Test func deletingAMissingSubvolumeFails() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        let error = #expect(throws: BtrfsError.self) {
            try BtrfsUtil.deleteSubvolume(path: volume.path("missing"))
        }
        #expect(error?.call == "btrfs_util_delete_subvolume")
        #expect(error?.path == volume.path("missing"))
    }
}
