import Foundation

/// A btrfs filesystem on a loop device, mounted under a test's folder, with one subvolume for images.
struct ScratchBtrfs {
    let image: String
    let mountPoint: String
    /// A subvolume inside it, where test disk images go.
    let subvolume: String

    static func make(_ name: String, sizeMiB: Int = 1024) throws -> ScratchBtrfs {
        let folder = try TestHost.makeWorkDirectory(name)
        let scratch = ScratchBtrfs(
            image: folder + "/btrfs.img", mountPoint: folder + "/mnt", subvolume: folder + "/mnt/images")
        try Shell.run(["truncate", "-s", "\(sizeMiB)M", scratch.image])
        try Shell.run(["mkfs.btrfs", "-q", "-f", scratch.image])
        try FileManager.default.createDirectory(atPath: scratch.mountPoint, withIntermediateDirectories: true)
        try Shell.run(["mount", "-o", "loop", scratch.image, scratch.mountPoint])
        try Shell.run(["btrfs", "-q", "subvolume", "create", scratch.subvolume])
        return scratch
    }

    /// Subvolumes other than the images subvolume: snapshots left behind.
    func otherSubvolumes() throws -> [String] {
        try Shell.run(["btrfs", "subvolume", "list", "-o", mountPoint]).stdout
            .split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
            .filter { $0 != "images" }
    }

    func remove() {
        _ = try? Shell.run(["umount", mountPoint], check: false)
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: image).deletingLastPathComponent().path)
    }
}
