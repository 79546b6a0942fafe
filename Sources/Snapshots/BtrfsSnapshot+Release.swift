import Btrfs
import Foundation
import Logging

extension BtrfsSnapshot {
    /// Deletes the snapshot subvolume with everything nested in it (wraps
    /// `btrfs_util_delete_subvolume` with `BTRFS_UTIL_DELETE_SUBVOLUME_RECURSIVE`).
    ///
    /// Idempotent: disks that share a snapshot share its path, so the first release deletes it and
    /// later ones find it gone and succeed; release therefore only after every disk served by the
    /// snapshot has been streamed. Refuses anything that is not a read-only subvolume whose name
    /// carries the `.vmbackup-` marker and holds the disk's backupSource. Runs to the end even when
    /// the calling task is cancelled.
    public func release(_ snapshot: TakenSnapshot) async throws {
        guard let path = snapshot.artifact else { return }
        let target = snapshot.disk.target
        guard Self.backupID(fromSnapshotPath: path) != nil, snapshot.source.path.hasPrefix(path + "/") else {
            throw failure(
                .cleanup, disks: [target],
                message: "refused to delete \(path): it is not a vmbackup snapshot holding \(snapshot.source.path)")
        }
        try await executor.run { try deleteSnapshot(at: path, target: target) }
    }

    /// Checks that `path` is one of our read-only snapshots, then deletes it; a snapshot already
    /// gone is success.
    private func deleteSnapshot(at path: String, target: String) throws {
        let metadata: Logger.Metadata = [
            "vm.name": "\(vmName)", "disk.target": "\(target)", "snapshot.path": "\(path)",
        ]
        do {
            guard try exists(path, target: target) else {
                logger.debug("btrfs snapshot already deleted", metadata: metadata)
                return
            }
            guard try BtrfsUtil.isSubvolume(path), try BtrfsUtil.isReadOnly(path) else {
                throw failure(
                    .cleanup, disks: [target],
                    message: "refused to delete \(path): it is not a read-only btrfs snapshot")
            }
            logger.info("deleting btrfs snapshot", metadata: metadata)
            try BtrfsUtil.deleteSubvolume(path: path, recursive: true)
        } catch let error as BtrfsError where error.errno == ENOENT {
            logger.debug("btrfs snapshot already deleted", metadata: metadata)
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw failure(
                .cleanup, disks: [target], message: "btrfs snapshot \(path) could not be deleted", cause: error)
        }
    }

    /// Whether anything is at `path`, without following a symbolic link. Wraps `lstat`.
    private func exists(_ path: String, target: String) throws -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return false }
            throw failure(
                .cleanup, disks: [target], message: "cannot check \(path): \(String(cString: strerror(code)))")
        }
        return true
    }
}
