import Foundation
import Libvirt
import Snapshots
import Streaming

/// Changed-block tracking for qcow2 disks: each backup of a VM that uses chains makes a libvirt
/// checkpoint `vmbackup-<backup-id>` just before its snapshots, whose persistent dirty bitmap in
/// every qcow2 disk records the guest's writes from then on. The next incremental reads only what
/// its parent's bitmap marks, from the frozen image (docs/CBT.md).
extension LiveBackupEffects {
    /// Makes the backup's checkpoint on the running domain's qcow2 disks, when the VM uses chains.
    /// A checkpoint that cannot be made costs speed, not correctness: the next incremental reads
    /// those disks whole. Called while the guest is frozen, before the snapshots.
    func createCheckpoint() async {
        guard context.tracksChanges, context.plan.domainRunning else { return }
        let tracked = context.plan.selected.filter { $0.method == .qcow2 }.map(\.target)
        guard !tracked.isEmpty else { return }
        let others = context.plan.selected.filter { $0.method != .qcow2 }.map(\.target)
        let definition = CheckpointDefinition(
            name: CheckpointName(backupID: context.backupID.description), bitmapDisks: tracked,
            skippedDisks: others + context.plan.excluded.map(\.target))
        let domain = context.domain
        do {
            try await context.executor.run { try domain.createCheckpoint(definition) }
            checkpoint = definition.name
        } catch {
            context.logger.warning(
                "no checkpoint was made: the next incremental reads the qcow2 disks whole",
                metadata: ["checkpoint": "\(definition.name)", "error": "\(error)"])
        }
    }

    /// Deletes the checkpoint of a backup that is not published (it failed or was cancelled): its
    /// bitmap would only cost the guest. Logged, never thrown.
    func deleteCheckpoint() async {
        guard let checkpoint else { return }
        self.checkpoint = nil
        await BackupEngine.deleteCheckpoints(
            [checkpoint], of: context.domain, executor: context.executor, logger: context.logger)
    }

    /// Whether disk `snapshot` can be read by a dirty bitmap: a qcow2 image of the overlay or
    /// offline method.
    static func canCarryBitmap(_ snapshot: TakenSnapshot) -> Bool {
        snapshot.source.format == "qcow2" && [.qcow2, .offline].contains(snapshot.disk.method)
    }

    /// Checks, once per backup, that the parent's checkpoint is still among the domain's when a
    /// disk would be read by its bitmap. Throws ``BrokenChain`` when it is gone.
    func checkParentCheckpoint(_ parentCheckpoint: String?) async throws {
        guard let parentCheckpoint, taken.contains(where: Self.canCarryBitmap) else { return }
        let domain = context.domain
        let names = try? await context.executor.run { try domain.checkpoints().map(\.name) }
        if let names, !names.contains(parentCheckpoint) {
            throw BrokenChain(
                reason: "checkpoint \(parentCheckpoint) of the parent backup is gone from the VM (deleted outside "
                    + "vmbackup?)")
        }
    }

    /// The dirty bitmap to read disk `disk` by, when the parent made a checkpoint: `nil` when
    /// the disk is read whole (no checkpoint, a disk that cannot carry a bitmap, a bitmap that
    /// stopped recording). Throws ``BrokenChain`` when the bitmap is gone from the image or
    /// inconsistent: the chain cannot be trusted.
    func dirtyBitmap(for snapshot: TakenSnapshot, parentCheckpoint: String?) async throws -> String? {
        guard let parentCheckpoint, Self.canCarryBitmap(snapshot) else { return nil }
        let bitmaps: [QemuBitmap]
        do {
            bitmaps = try await Streamer.bitmaps(of: snapshot.source.path)
        } catch {
            return nil
        }
        guard let bitmap = bitmaps.first(where: { $0.name == parentCheckpoint }) else {
            throw BrokenChain(
                reason: "disk \(snapshot.disk.target) has no dirty bitmap \(parentCheckpoint) (the checkpoint's bitmap "
                    + "is missing)")
        }
        guard bitmap.isConsistent else {
            throw BrokenChain(
                reason: "the dirty bitmap \(parentCheckpoint) of disk \(snapshot.disk.target) is inconsistent (QEMU "
                    + "stopped without saving it)")
        }
        return bitmap.isRecording ? parentCheckpoint : nil
    }

    /// Why a chain cannot be extended, found while looking at the parent's checkpoint.
    struct BrokenChain: Error {
        var reason: String
    }
}
