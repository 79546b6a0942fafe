import Foundation

/// A btrfs or XFS filesystem on a loop device, mounted under a test's folder, with a folder for
/// disk images: a subvolume on btrfs, a plain folder on XFS (made with reflink).
struct ScratchFilesystem {
    enum Kind {
        case btrfs
        case xfs
    }

    let image: String
    let mountPoint: String
    /// Where test disk images go.
    let images: String

    static func make(_ name: String, _ kind: Kind, sizeMiB: Int = 1024) throws -> ScratchFilesystem {
        let folder = try TestHost.makeWorkDirectory(name)
        let scratch = ScratchFilesystem(
            image: folder + "/fs.img", mountPoint: folder + "/mnt", images: folder + "/mnt/images")
        try Shell.run(["truncate", "-s", "\(sizeMiB)M", scratch.image])
        switch kind {
        case .btrfs: try Shell.run(["mkfs.btrfs", "-q", "-f", scratch.image])
        case .xfs: try Shell.run(["mkfs.xfs", "-q", "-f", "-m", "reflink=1", scratch.image])
        }
        try FileManager.default.createDirectory(atPath: scratch.mountPoint, withIntermediateDirectories: true)
        try Shell.run(["mount", "-o", "loop", scratch.image, scratch.mountPoint])
        switch kind {
        case .btrfs: try Shell.run(["btrfs", "-q", "subvolume", "create", scratch.images])
        case .xfs: try FileManager.default.createDirectory(atPath: scratch.images, withIntermediateDirectories: false)
        }
        return scratch
    }

    /// Btrfs subvolumes other than the images subvolume, nested ones included (backup snapshots
    /// are made inside the subvolume they copy): snapshots left behind.
    func otherSubvolumes() throws -> [String] {
        try Shell.run(["btrfs", "subvolume", "list", mountPoint]).stdout
            .split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            .filter { $0 != "images" }
    }

    /// Files in the images folder whose names mark them as made by a backup.
    func backupLeftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: images).filter { $0.hasPrefix(".vmbackup-") }
    }

    func remove() {
        _ = try? Shell.run(["umount", mountPoint], check: false)
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: image).deletingLastPathComponent().path)
    }
}
