import Btrfs
import Foundation

/// One snapshot to take: the subvolume, where its snapshot goes, and the disks it will serve.
struct PlannedBtrfsSnapshot: Sendable {
    /// One disk served by the snapshot, with its image's path relative to the subvolume.
    struct Disk: Sendable {
        var disk: SelectedDisk
        var relativePath: String
    }

    var subvolume: String
    var snapshot: String
    var disks: [Disk]

    /// The backupSource of `entry`: the same file inside the snapshot, in the same format.
    func source(of entry: Disk) -> BackupSource {
        BackupSource(target: entry.disk.target, path: snapshot + "/" + entry.relativePath, format: entry.disk.format)
    }
}

extension BtrfsSnapshot {
    /// Checks every disk and groups them by the innermost subvolume holding their image; nothing
    /// is created. Blocks on `stat`, `statfs` and libbtrfsutil.
    func plan(for disks: [SelectedDisk], backupID: String) throws -> [PlannedBtrfsSnapshot] {
        guard Self.isUsableInFileName(backupID) else {
            throw failure(
                .snapshot, disks: disks.map(\.target), message: "backup id '\(backupID)' cannot be part of a file name")
        }
        var planned: [PlannedBtrfsSnapshot] = []
        var targets: Set<String> = []
        for disk in disks {
            guard targets.insert(disk.target).inserted else {
                throw failure(.snapshot, disks: [disk.target], message: "is selected twice")
            }
            let (subvolume, relativePath) = try locate(disk)
            let entry = PlannedBtrfsSnapshot.Disk(disk: disk, relativePath: relativePath)
            if let index = planned.firstIndex(where: { $0.subvolume == subvolume }) {
                planned[index].disks.append(entry)
            } else {
                let snapshot = Self.snapshotPath(forSubvolume: subvolume, backupID: backupID)
                guard (try? FileManager.default.attributesOfItem(atPath: snapshot)) == nil else {
                    throw failure(
                        .snapshot, disks: [disk.target],
                        message: "snapshot \(snapshot) already exists (left by an earlier backup?); it was not touched")
                }
                planned.append(PlannedBtrfsSnapshot(subvolume: subvolume, snapshot: snapshot, disks: [entry]))
            }
        }
        return planned
    }

    /// The subvolume holding the disk's image file and the image's path inside it.
    func locate(_ disk: SelectedDisk) throws -> (subvolume: String, relativePath: String) {
        guard disk.kind == .file else {
            throw failure(
                .snapshot, disks: [disk.target],
                message: "\(disk.sourcePath) is a block device; the btrfs method needs an image file on btrfs")
        }
        let image: String
        do {
            image = try BtrfsUtil.realPath(disk.sourcePath)
        } catch {
            throw failure(
                .snapshot, disks: [disk.target], message: "image \(disk.sourcePath) cannot be found", cause: error)
        }
        let type = (try? FileManager.default.attributesOfItem(atPath: image))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            throw failure(
                .snapshot, disks: [disk.target],
                message: "\(image) is not a regular file; the btrfs method needs an image file on btrfs")
        }
        let subvolume: String
        do {
            guard try BtrfsUtil.isOnBtrfs(image) else {
                throw failure(
                    .snapshot, disks: [disk.target],
                    message: "image \(image) is not on a btrfs filesystem; use the qcow2 method for it")
            }
            subvolume = try BtrfsUtil.subvolumePath(containing: image)
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw failure(
                .snapshot, disks: [disk.target], message: "no btrfs subvolume holding \(image) was found",
                cause: error)
        }
        let prefix = subvolume == "/" ? "/" : subvolume + "/"
        guard image.hasPrefix(prefix), image.count > prefix.count else {
            throw failure(
                .snapshot, disks: [disk.target], message: "image \(image) is not inside subvolume \(subvolume)")
        }
        return (subvolume, String(image.dropFirst(prefix.count)))
    }
}
