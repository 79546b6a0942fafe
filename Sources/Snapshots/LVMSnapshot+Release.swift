import LVM
import Logging

extension LVMSnapshot {
    /// Removes the snapshot volume: `lvremove -f <vg>/<snapshot>`. The origin is not touched.
    ///
    /// Idempotent: a snapshot that is already gone is success. A volume of that name that is not a
    /// snapshot made by a backup is never removed. Runs to the end even when the calling task is
    /// cancelled.
    public func release(_ snapshot: TakenSnapshot) async throws {
        guard let artifact = snapshot.artifact else { return }
        let target = snapshot.disk.target
        let volume = try reference(artifact, step: .cleanup, disk: target)
        let found: LogicalVolume?
        do {
            found = try await runner.logicalVolume(volume)
        } catch {
            throw failure(
                .cleanup, disks: [target], message: "could not look up snapshot \(volume); it may remain",
                cause: error)
        }
        guard let found else { return }
        guard found.isSnapshot, found.name.contains(Self.marker) else {
            throw failure(
                .cleanup, disks: [target],
                message: "volume \(volume) (lv_attr \(found.attributes)) is not a snapshot made by a backup; "
                    + "it was not removed")
        }
        logger.info(
            "removing LVM snapshot",
            metadata: ["vm.name": "\(vmName)", "disk.target": "\(target)", "lvm.snapshot": "\(volume)"])
        do {
            try await runner.remove(volume)
        } catch {
            throw failure(
                .cleanup, disks: [target], message: "snapshot \(volume) could not be removed; remove it with lvremove",
                cause: error)
        }
    }

    /// The snapshot's state, for watching it while its backupSource is streamed and before the
    /// backup is published: `nil` when it still shows the disk as it was, otherwise why it no longer
    /// does. A thick snapshot fails when its copy-on-write space overflows (lvm marks it invalid);
    /// a thin snapshot when lvm reports it failed.
    ///
    /// - Throws: `SnapshotError` when lvm cannot be asked.
    public func health(of snapshot: TakenSnapshot) async throws -> String? {
        guard let artifact = snapshot.artifact else { return nil }
        let target = snapshot.disk.target
        let volume = try reference(artifact, step: .verify, disk: target)
        let found: LogicalVolume?
        do {
            found = try await runner.logicalVolume(volume)
        } catch {
            throw failure(.verify, disks: [target], message: "could not read snapshot \(volume)", cause: error)
        }
        guard let found else {
            return "LVM snapshot \(volume) of disk \(target) disappeared during the backup"
        }
        return Self.healthProblem(found, volume: volume, target: target)
    }

    /// Why the snapshot `found` no longer holds the disk as it was, or `nil` when it does.
    static func healthProblem(_ found: LogicalVolume, volume: LogicalVolumeReference, target: String) -> String? {
        if found.isThin {
            guard found.isFailed else { return nil }
            return "thin LVM snapshot \(volume) of disk \(target) failed (lv_attr \(found.attributes)); "
                + "it cannot be read"
        }
        let full = (found.dataPercent ?? 0) >= 100
        guard found.isInvalid || full else { return nil }
        return "LVM snapshot \(volume) of disk \(target) overflowed: the guest changed more than its "
            + "\(describe(bytes: found.sizeBytes)) of copy-on-write space holds while the backup ran, so lvm "
            + "invalidated it (lv_attr \(found.attributes)); the origin is unaffected. Give snapshots more room "
            + "([backup] lvm_snapshot_percent, lvm_snapshot_min_mib) or back up at a quieter time"
    }

    private func reference(
        _ artifact: String, step: SnapshotError.Step, disk: String
    ) throws -> LogicalVolumeReference {
        do {
            return try LogicalVolumeReference(parsing: artifact)
        } catch {
            throw failure(step, disks: [disk], message: "'\(artifact)' does not name an LVM snapshot (\(error))")
        }
    }
}
