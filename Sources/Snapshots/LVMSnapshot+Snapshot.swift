import LVM
import Logging

extension LVMSnapshot {
    /// Snapshots the logical volume of every disk in `disks`: thick volumes with a copy-on-write
    /// snapshot sized by the policy, thin volumes with a thin snapshot. Does not quiesce: the caller
    /// freezes the guest.
    ///
    /// The backupSource of each disk is the snapshot's device `/dev/<vg>/<snapshot>`, read in the
    /// disk's own format (`raw` for a plain volume); the artifact is `<vg>/<snapshot>`.
    ///
    /// All or nothing: when one snapshot fails, those already made are removed again.
    public func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        guard !disks.isEmpty else { return [] }
        let plans = try await plan(disks)
        let names = try snapshotNames(for: plans, backupID: backupID)
        var taken: [TakenSnapshot] = []
        for (plan, name) in zip(plans, names) {
            do {
                taken.append(try await create(plan, name: name))
            } catch {
                let note = await removeAfterFailure(taken)
                throw failure(
                    .snapshot, disks: [plan.disk.target],
                    message: "LVM snapshot of \(plan.origin) failed; \(note)", cause: error)
            }
        }
        return taken
    }

    /// Each plan's snapshot name, checked before anything is created.
    private func snapshotNames(for plans: [PlannedLVMSnapshot], backupID: String) throws -> [LVMName] {
        do {
            return try plans.map { plan throws(LVMNameError) in
                try LVMName(Self.snapshotName(forLV: plan.origin.name.rawValue, backupID: backupID))
            }
        } catch {
            throw failure(
                .snapshot, disks: plans.map(\.disk.target),
                message: "backup id '\(backupID)' cannot be part of an LVM volume name; nothing was created",
                cause: error)
        }
    }

    private func create(_ plan: PlannedLVMSnapshot, name: LVMName) async throws -> TakenSnapshot {
        logger.info(
            "creating LVM snapshot",
            metadata: [
                "vm.name": "\(vmName)", "disk.target": "\(plan.disk.target)", "lvm.origin": "\(plan.origin)",
                "lvm.snapshot": "\(plan.origin.volumeGroup)/\(name)",
                "lvm.snapshot.size": "\(plan.sizeBytes.map { "\($0)" } ?? "thin")",
            ])
        let snapshot = try await runner.createSnapshot(of: plan.origin, name: name, sizeBytes: plan.sizeBytes)
        return TakenSnapshot(
            disk: plan.disk,
            source: BackupSource(target: plan.disk.target, path: snapshot.devicePath, format: plan.disk.format),
            artifact: snapshot.description)
    }

    /// Removes the snapshots of a failed `snapshot` call; says what became of them.
    private func removeAfterFailure(_ taken: [TakenSnapshot]) async -> String {
        guard !taken.isEmpty else { return "nothing was created" }
        var kept: [String] = []
        for snapshot in taken.reversed() {
            do {
                try await release(snapshot)
            } catch {
                kept.append(snapshot.artifact ?? snapshot.source.path)
            }
        }
        guard kept.isEmpty else {
            return "could not remove \(kept.joined(separator: ", ")); remove with lvremove"
        }
        return "the snapshots made before it were removed"
    }
}
