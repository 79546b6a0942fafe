import Foundation
import Testing

@testable import Snapshots

@Suite struct FileCloneTests {
    private let mountInfo = """
        22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
        40 22 7:0 / /srv/images rw,relatime shared:20 - xfs /dev/loop0 rw,attr2,inode64
        41 40 7:1 / /srv/images/fast rw,relatime shared:21 - btrfs /dev/loop1 rw,space_cache=v2
        42 22 7:2 / /srv/my\\040disks rw,relatime shared:22 - xfs /dev/loop2 rw
        """

    @Test func theDeepestMountAboveAPathGivesItsFilesystem() {
        #expect(FileClone.filesystemType(of: "/srv/images/a.qcow2", mountInfo: mountInfo) == "xfs")
        #expect(FileClone.filesystemType(of: "/srv/images/fast/b.raw", mountInfo: mountInfo) == "btrfs")
        #expect(FileClone.filesystemType(of: "/srv/imagesX/c.raw", mountInfo: mountInfo) == "ext4")
        #expect(FileClone.filesystemType(of: "/srv/my disks/d.raw", mountInfo: mountInfo) == "xfs")
        #expect(FileClone.filesystemType(of: "/var/lib/e.qcow2", mountInfo: mountInfo) == "ext4")
    }

    @Test func aCloneOnAFilesystemWithoutReflinkFailsWithAHintAndLeavesNothing() throws {
        // This machine's /tmp is not XFS or btrfs (if it were, the clone would simply work).
        let folder = NSTemporaryDirectory() + "vmbt-clone-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("image".utf8).write(to: URL(fileURLWithPath: folder + "/a.raw"))
        guard !FileClone.mayClone(folder + "/a.raw") else { return }
        #expect {
            try FileClone.clone(folder + "/a.raw", to: folder + "/b.raw")
        } throws: { error in
            "\(error)".contains("cannot share extents") || "\(error)".contains("not supported")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/b.raw"))
    }
}
