import Foundation

/// A fresh btrfs filesystem: a sparse 256 MiB image, formatted and loop-mounted under a temp folder.
struct ScratchBtrfs {
    let folder: URL
    var mountPoint: String { folder.appendingPathComponent("mnt").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-btrfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder.path + "/mnt", withIntermediateDirectories: true)
        let image = folder.appendingPathComponent("fs.img").path
        do {
            try Self.run("/usr/bin/truncate", ["-s", "256M", image])
            try Self.run("/usr/sbin/mkfs.btrfs", ["-q", image])
            try Self.run("/bin/mount", ["-o", "loop", image, folder.path + "/mnt"])
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    func path(_ name: String) -> String {
        mountPoint + "/" + name
    }

    /// Unmounts the filesystem (which frees the loop device) and removes the folder.
    func remove() {
        _ = try? Self.run("/bin/umount", [mountPoint])
        try? FileManager.default.removeItem(at: folder)
    }

    struct Failure: Error {
        var command: [String]
        var status: Int32
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(command: [executable] + arguments, status: process.terminationStatus)
        }
        return process.terminationStatus
    }
}
