import Btrfs
import Logging

extension BtrfsSnapshot {
    /// Takes one read-only snapshot per subvolume holding the disks' images (wraps
    /// `btrfs_util_create_snapshot`); each backupSource is the image's path inside its snapshot,
    /// in the disk's format. Does not quiesce: the caller freezes the guest.
    ///
    /// All or nothing: every disk is checked before anything is created (a block device, an image
    /// not on btrfs or an existing snapshot path fails here), and when a snapshot fails the ones
    /// already taken are deleted.
    public func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        guard !disks.isEmpty else { return [] }
        let planned = try await executor.run { try plan(for: disks, backupID: backupID) }
        try await executor.run { try take(planned, backupID: backupID) }
        var taken: [String: TakenSnapshot] = [:]
        for snapshot in planned {
            for entry in snapshot.disks {
                taken[entry.disk.target] = TakenSnapshot(
                    disk: entry.disk, source: snapshot.source(of: entry), artifact: snapshot.snapshot)
            }
        }
        return disks.compactMap { taken[$0.target] }
    }

    /// Creates the planned snapshots in order; on a failure deletes those already created.
    private func take(_ planned: [PlannedBtrfsSnapshot], backupID: String) throws {
        var created: [String] = []
        for snapshot in planned {
            let targets = snapshot.disks.map(\.disk.target)
            logger.info(
                "creating btrfs snapshot",
                metadata: [
                    "vm.name": "\(vmName)", "backup.id": "\(backupID)",
                    "disk.targets": "\(targets.joined(separator: ","))",
                    "btrfs.subvolume": "\(snapshot.subvolume)", "snapshot.path": "\(snapshot.snapshot)",
                ])
            do {
                try BtrfsUtil.createSnapshot(source: snapshot.subvolume, destination: snapshot.snapshot, readOnly: true)
            } catch {
                let leftovers = deleteCreated(created)
                let kept = leftovers.isEmpty ? "" : "; could not delete \(leftovers.joined(separator: ", "))"
                throw failure(
                    .snapshot, disks: targets,
                    message: "snapshot of subvolume \(snapshot.subvolume) failed\(kept)", cause: error)
            }
            created.append(snapshot.snapshot)
        }
    }

    /// Deletes snapshots this call created; returns the paths it could not delete.
    private func deleteCreated(_ snapshots: [String]) -> [String] {
        snapshots.filter { path in
            do {
                try BtrfsUtil.deleteSubvolume(path: path, recursive: true)
                return false
            } catch {
                logger.warning(
                    "could not delete btrfs snapshot", metadata: ["vm.name": "\(vmName)", "snapshot.path": "\(path)"])
                return true
            }
        }
    }
}
