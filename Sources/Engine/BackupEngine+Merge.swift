import APIModel
import Catalog
import Foundation
import Streaming
import Targets

/// Deleting a backup that others are made on top of by merging it into them, as xl's
/// `snapshot-delete` does: used by `DELETE /v1/vms/{vm}/backups/{id}` (the default) and by
/// retention.
///
/// The order keeps every backup restorable whenever it stops: first every image of every child
/// that reads through the backup is rebased in safe mode (its content stays the same, it only
/// stops needing the backup), then each child's manifest names its new parent and backing
/// files, then the backup is deleted. A crash after some rebases leaves children whose images
/// no longer read through the backup while their manifests still name it: ``StoredChains`` reads
/// the images, so the next delete or prune of that chain counts them as children of both,
/// rebases nothing twice and rewrites their manifests from what the images say.
extension BackupEngine {
    /// Removes backup `id` of a VM from target `name`: merged into its children when it has any,
    /// deleted otherwise. Returns the children it was merged into, sorted.
    ///
    /// Refuses before changing anything (`precondition_failed`) when the backup is protected,
    /// when a child's image cannot be rebased (the target keeps no local file of it), or when the backup, a child whose images it
    /// would rewrite, or a backup reading through such a child is in use by an instant copy or
    /// served by an export.
    func removeMerging(vmUUID: String, id: String, vmName: String, target name: String) async throws -> [String] {
        let backups: [CatalogBackup]
        do {
            backups = try await catalog.backups(vmUUID: vmUUID).filter { $0.target == name }
        } catch {
            throw EngineError(catalog: error)
        }
        guard let backup = backups.first(where: { $0.id == id }) else {
            throw EngineError(.backupNotFound, "VM \(vmName) has no backup \(id) on target '\(name)'")
        }
        guard !backup.isProtected else {
            throw EngineError(
                .preconditionFailed,
                "backup \(id) of VM \(vmName) is protected; unprotect it first (vmbackup unprotect); "
                    + "nothing was deleted")
        }
        let chains = try await storedChains(of: backups, target: name)
        let merge = try ChainMerge(merging: id, chains: chains)
        if let child = merge.children.first(where: chains.uninspected.contains) {
            throw EngineError(
                .preconditionFailed,
                "cannot merge backup \(id) of VM \(vmName) into \(child): target '\(name)' keeps no local image "
                    + "file of it to rebase; delete them together (children=delete, vmbackup delete --children); "
                    + "nothing was deleted")
        }
        guard !merge.children.isEmpty else {
            try await refuseInstantCopies(of: [id], vmUUID: vmUUID, vmName: vmName)
            try await remove(vmUUID: vmUUID, id: id, vmName: vmName, target: name)
            return []
        }
        // Rewriting a child changes the file every backup made on top of it reads through.
        let rewritten = merge.rewritten.flatMap { [$0] + chains.descendants(of: $0) }
        try await refuseInstantCopies(of: [id] + rewritten, vmUUID: vmUUID, vmName: vmName)
        let exported = exportRegistry.backupsInUse(vmUUID: vmUUID)
        if let served = rewritten.first(where: { exported[$0] != nil }) {
            throw EngineError(
                .preconditionFailed,
                "merging backup \(id) of VM \(vmName) would rewrite backup \(served), which export "
                    + "\(exported[served]?.joined(separator: ", ") ?? "") serves; stop it first (vmbackup unmount); "
                    + "nothing was deleted")
        }
        // Held, so that no export starts on them while they are rewritten.
        let held = ([id] + rewritten).map { ExportTable.BackupKey(vmUUID: vmUUID, backupID: $0) }
        try exportRegistry.beginDeletion(of: held, vmName: vmName)
        defer { exportRegistry.endDeletion(of: held) }

        var growth: [String: [String: UInt64]] = [:]
        for rebase in merge.rebases {
            do {
                try await Streamer.rebaseImage(at: rebase.path, onto: rebase.onto)
                let after = try await Streamer.layer(of: rebase.path).storedBytes
                let grown = after > rebase.storedBytes ? after - rebase.storedBytes : 0
                growth[rebase.child, default: [:]][rebase.disk] = grown
            } catch {
                throw EngineError(
                    .targetFailed,
                    "cannot merge backup \(id) of VM \(vmName) into \(rebase.child) (disk \(rebase.disk)): \(error)")
            }
        }
        let store = try target(named: name)
        for child in merge.children {
            let stored: StoredBackup
            do {
                stored = try await store.updateChain(vmUUID: vmUUID, id: child) { manifest in
                    merge.rewrite(&manifest, growth: growth[child] ?? [:])
                }
            } catch {
                throw EngineError(
                    .targetFailed, "cannot record the merge of backup \(id) of VM \(vmName) into \(child): \(error)")
            }
            do {
                try await catalog.record(stored, target: name)
            } catch {
                throw EngineError(catalog: error)
            }
        }
        logger.notice(
            "backup merged into its children",
            metadata: [
                "vm.name": "\(vmName)", "backup.id": "\(id)",
                "merge.children": "\(merge.children.joined(separator: ","))",
                "merge.rebased_disks": "\(merge.rebases.count)",
            ])
        try await remove(vmUUID: vmUUID, id: id, vmName: vmName, target: name)
        return merge.children
    }

    /// Throws `precondition_failed` when an instant copy reads one of `ids`.
    func refuseInstantCopies(of ids: [String], vmUUID: String, vmName: String) async throws {
        let inUse = await backupsInUse(vmUUID: vmUUID)
        if let used = ids.first(where: { inUse[$0] != nil }) {
            throw EngineError(
                .preconditionFailed,
                "backup \(used) of VM \(vmName) is in use by the instant copy \(inUse[used] ?? ""); keep or discard "
                    + "that copy first (vmbackup instant keep|discard); nothing was deleted")
        }
    }

    /// Throws `vm_busy` while a task of the VM runs or waits (a backup may be reading the chain as
    /// its parent; a restore, a drill or a verify reads a backup).
    func refuseWhileBusy(vmUUID: String, vmName: String) async throws {
        if let task = await registry.all().first(where: { $0.vmUUID == vmUUID && !$0.state.isFinished }) {
            throw EngineError(
                .vmBusy,
                "VM \(vmName) is busy with \(task.kind) task \(task.id); delete or prune its backups once it has "
                    + "finished")
        }
    }
}
