import APIModel
import Blocking
import Btrfs
import Foundation
import Logging
import Snapshots

/// A scratch btrfs with an `images` subvolume, and the snapshot method under test.
struct BtrfsSnapshotFixture {
    static let backupID = "20261122T013000Z-3f9a"
    static var canRun: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.btrfs")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/btrfs")
    }

    let volume: ScratchBtrfs
    let method = BtrfsSnapshot(
        vmName: "guest1", executor: BlockingExecutor(threads: 1),
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    var images: String { volume.path("images") }

    init() throws {
        volume = try ScratchBtrfs()
        do {
            try BtrfsUtil.createSubvolume(volume.path("images"))
        } catch {
            volume.remove()
            throw error
        }
    }

    func remove() {
        volume.remove()
    }

    static func disk(_ target: String, _ path: String, format: String = "raw", kind: DiskKind = .file) -> SelectedDisk {
        SelectedDisk(target: target, kind: kind, sourcePath: path, format: format, method: .btrfs)
    }

    /// The entries of `folder` whose name carries the snapshot marker.
    static func markedEntries(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(BtrfsSnapshot.snapshotNamePrefix) }
    }
}
