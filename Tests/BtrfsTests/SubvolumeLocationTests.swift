import Btrfs
import Foundation
import Testing

/// Finding the subvolume that holds a file, against a real btrfs on a loop device.
@Suite(
    .serialized,
    .enabled(if: getuid() == 0, "needs root to mount a loop device"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.btrfs"), "needs mkfs.btrfs"))
struct SubvolumeLocationTests {
    @Test func btrfsIsToldApartFromOtherFilesystems() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        #expect(try BtrfsUtil.isOnBtrfs(volume.mountPoint))
        #expect(try !BtrfsUtil.isOnBtrfs("/proc/self"))
        #expect(throws: BtrfsError.self) { try BtrfsUtil.isOnBtrfs(volume.path("missing")) }
    }

    @Test func fileIsHeldByTheInnermostSubvolumeAboveIt() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        try BtrfsUtil.createSubvolume(volume.path("images"))
        try BtrfsUtil.createSubvolume(volume.path("images/vm2"))
        try FileManager.default.createDirectory(
            atPath: volume.path("images/vm2/disks"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: volume.path("plain"), withIntermediateDirectories: false)
        for file in ["images/a.img", "images/vm2/disks/b.img", "plain/c.img", "d.img"] {
            #expect(FileManager.default.createFile(atPath: volume.path(file), contents: Data([1])))
        }

        #expect(try BtrfsUtil.subvolumePath(containing: volume.path("images/a.img")) == volume.path("images"))
        #expect(
            try BtrfsUtil.subvolumePath(containing: volume.path("images/vm2/disks/b.img")) == volume.path("images/vm2"))
        #expect(try BtrfsUtil.subvolumePath(containing: volume.path("plain/c.img")) == volume.mountPoint)
        #expect(try BtrfsUtil.subvolumePath(containing: volume.path("d.img")) == volume.mountPoint)
        #expect(
            try BtrfsUtil.subvolumePath(containing: volume.path("images/../images/./a.img")) == volume.path("images"))
    }

    @Test func walkStopsAtTheEdgeOfABindMountedFolder() throws {
        let volume = try ScratchBtrfs()
        defer { volume.remove() }
        try FileManager.default.createDirectory(atPath: volume.path("plain"), withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: volume.path("plain/c.img"), contents: Data([1])))
        let bound = volume.folder.appendingPathComponent("bound").path
        try FileManager.default.createDirectory(atPath: bound, withIntermediateDirectories: false)
        try ScratchBtrfs.run("/bin/mount", ["--bind", volume.path("plain"), bound])
        defer { _ = try? ScratchBtrfs.run("/bin/umount", [bound]) }

        let error = #expect(throws: BtrfsError.self) { try BtrfsUtil.subvolumePath(containing: bound + "/c.img") }
        #expect(error?.call == "btrfs_util_is_subvolume")
        #expect(error?.message == "Not a Btrfs subvolume")
    }

    @Test func filesOutsideBtrfsAndMissingFilesAreReported() throws {
        let notBtrfs = #expect(throws: BtrfsError.self) { try BtrfsUtil.subvolumePath(containing: "/proc/self/status") }
        #expect(notBtrfs?.message == "Not a Btrfs filesystem")
        let missing = #expect(throws: BtrfsError.self) {
            try BtrfsUtil.subvolumePath(containing: "/nonexistent/vda.img")
        }
        #expect(missing?.call == "realpath")
        #expect(missing?.errno == ENOENT)
    }
}
