import APIModel
import Catalog
import Foundation
import Logging
import Targets

/// The catalog operations of the socket API: list, show, rename, describe, protect, delete, and
/// the index kept in step with the target, which stays the truth. A backup is named by its id,
/// its name or `latest` (see ``resolveBackup(vm:reference:)``); answers give its real id.
extension BackupEngine {
    /// The backups of `vm`, oldest first: all of them, or the children of the backup `parent`
    /// names.
    public func listBackups(vm: String, parent: String? = nil) async throws -> [BackupSummary] {
        if let parent {
            let backup = try await resolveBackup(vm: vm, reference: parent)
            do {
                let all = try await catalog.backups(vmUUID: backup.vmUUID)
                return try await catalog.children(vmUUID: backup.vmUUID, of: backup.id).map {
                    Self.summary(of: $0, among: all)
                }
            } catch {
                throw EngineError(catalog: error)
            }
        }
        let uuid = try await vmUUID(vm)
        do {
            let all = try await catalog.backups(vmUUID: uuid)
            return all.map { Self.summary(of: $0, among: all) }
        } catch {
            throw EngineError(catalog: error)
        }
    }

    /// The backup of `vm` that `id` names: its id, its name or `latest`.
    public func backup(vm: String, id: String) async throws -> BackupSummary {
        let backup = try await resolveBackup(vm: vm, reference: id)
        do {
            return Self.summary(of: backup, among: try await catalog.backups(vmUUID: backup.vmUUID))
        } catch {
            throw EngineError(catalog: error)
        }
    }

    /// `backup` as the API shows it, with its depth in its chain among `all` of its VM's backups.
    static func summary(of backup: CatalogBackup, among all: [CatalogBackup]) -> BackupSummary {
        var summary = backup.summary()
        summary.chainDepth = ChainOrder.depth(
            of: backup.id, in: all.filter { $0.target == backup.target }.map { ($0.id, $0.parent) })
        return summary
    }

    /// Renames, describes, protects or unprotects the backup `reference` names: its manifest on
    /// the target first, then the catalog.
    public func updateBackup(vm: String, id reference: String, update: BackupUpdate) async throws -> BackupSummary {
        guard !update.isEmpty else {
            throw EngineError(.badRequest, "nothing to change: give name, description or protected")
        }
        if let name = update.name { try Self.checkBackupName(name) }
        if let description = update.description { try Self.checkDescription(description) }
        let backup = try await resolveBackup(vm: vm, reference: reference)
        let id = backup.id
        let stored: StoredBackup
        do {
            stored = try await target(named: backup.target).update(vmUUID: backup.vmUUID, id: id) { manifest in
                if let name = update.name { manifest.name = name.isEmpty ? nil : name }
                if let description = update.description {
                    manifest.description = description.isEmpty ? nil : description
                }
                if let protected = update.protected { manifest.protected = protected }
            }
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.targetFailed, "cannot change backup \(id) of VM \(vm): \(error)")
        }
        logger.info(
            "backup changed",
            metadata: Self.changeMetadata(update).merging(["vm.name": "\(backup.vmName)", "backup.id": "\(id)"]) {
                $1
            })
        do {
            return try await catalog.record(stored, target: backup.target).summary()
        } catch {
            throw EngineError(catalog: error)
        }
    }

    /// Deletes the backup `reference` names and, as `children` says, the backups that depend on
    /// it. By default (`merge`, or nil) the backup is merged into its children, which keep their
    /// content (see ``removeMerging(vmUUID:id:vmName:target:)``). `delete` removes it and its
    /// descendants, `only` its descendants alone: children before their parents, each from the
    /// target first, then from the catalog. Refuses before deleting anything (`vm_busy`) while a
    /// task of the VM runs or another delete or prune changes its backups, and (`precondition_failed`) when one of them is protected or in use.
    public func deleteBackup(
        vm: String, id reference: String, children: ChildrenDeletion?
    ) async throws -> BackupDeletion {
        let backup = try await resolveBackup(vm: vm, reference: reference)
        let id = backup.id
        // Marked first, then checked: a backup that starts meanwhile sees the mark and waits.
        try chainEdits.begin(vmUUID: backup.vmUUID, vmName: vm)
        defer { chainEdits.end(vmUUID: backup.vmUUID) }
        try await refuseWhileBusy(vmUUID: backup.vmUUID, vmName: vm)
        let mode = children ?? .merge
        if mode == .merge {
            let merged = try await removeMerging(
                vmUUID: backup.vmUUID, id: id, vmName: backup.vmName, target: backup.target)
            return BackupDeletion(deleted: [id], merged: merged)
        }
        let all: [CatalogBackup]
        do {
            // A chain lies on one target: a parent's children are those on its target.
            all = try await catalog.backups(vmUUID: backup.vmUUID).filter { $0.target == backup.target }
        } catch {
            throw EngineError(catalog: error)
        }
        let descendants = try await storedChains(of: all, target: backup.target).descendants(of: id)
        var doomed = descendants
        if mode != .only { doomed.append(id) }
        let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let protected = doomed.filter { byID[$0]?.isProtected == true }
        guard protected.isEmpty else {
            throw EngineError(
                .preconditionFailed,
                "backup \(protected.joined(separator: ", ")) of VM \(vm) is protected; unprotect it first "
                    + "(vmbackup unprotect); nothing was deleted")
        }
        try await refuseInstantCopies(of: doomed, vmUUID: backup.vmUUID, vmName: vm)
        // Refused, before anything is deleted, while an export serves one of them.
        let held = doomed.map { ExportTable.BackupKey(vmUUID: backup.vmUUID, backupID: $0) }
        try exportRegistry.beginDeletion(of: held, vmName: vm)
        defer { exportRegistry.endDeletion(of: held) }
        var deleted: [String] = []
        for doomedID in doomed {
            try await remove(vmUUID: backup.vmUUID, id: doomedID, vmName: backup.vmName, target: backup.target)
            deleted.append(doomedID)
        }
        return BackupDeletion(deleted: deleted)
    }

    /// Removes one backup from its target, then from the catalog; `backup_in_use` while an export
    /// serves it.
    func remove(vmUUID: String, id: String, vmName: String, target name: String) async throws {
        let held = [ExportTable.BackupKey(vmUUID: vmUUID, backupID: id)]
        try exportRegistry.beginDeletion(of: held, vmName: vmName)
        defer { exportRegistry.endDeletion(of: held) }
        do {
            try await target(named: name).delete(vmUUID: vmUUID, id: id)
        } catch let error as TargetError where error.code == .notFound {
            // Already gone from the target: only the index still names it.
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.targetFailed, "cannot delete backup \(id) of VM \(vmName): \(error)")
        }
        logger.notice(
            "backup deleted", metadata: ["vm.name": "\(vmName)", "backup.id": "\(id)", "target": "\(name)"])
        do {
            try await catalog.remove(vmUUID: vmUUID, id: id)
        } catch {
            throw EngineError(catalog: error)
        }
    }

    /// Rebuilds the catalog from the manifests on the targets alone, one target after the other,
    /// and forgets the rows of targets the config no longer has; returns what each rebuild found.
    /// A target that cannot be read keeps its rows and fails the call after the others are done.
    @discardableResult
    public func rebuildCatalog() async throws -> [RebuildReport] {
        var reports: [RebuildReport] = []
        var failures: [String] = []
        for settings in settings.targets {
            guard let target = targets[settings.name] else { continue }
            let stored: [StoredBackup]
            do {
                stored = try await target.listAll()
            } catch {
                failures.append("cannot read target '\(settings.name)' at \(target.location): \(error)")
                continue
            }
            do {
                let report = try await catalog.rebuild(from: stored, target: settings.name)
                logger.notice(
                    "catalog rebuilt from the target",
                    metadata: [
                        "target": "\(settings.name)", "backups": "\(report.recorded)", "vms": "\(report.vms)",
                        "added": "\(report.added)", "dropped": "\(report.dropped)",
                    ])
                reports.append(report)
            } catch {
                failures.append("\(error)")
            }
        }
        do {
            let forgotten = try await catalog.forgetTargets(except: Set(settings.targets.map(\.name)))
            if forgotten > 0 {
                logger.notice(
                    "catalog rows of targets no longer in the config were dropped; their backups stay there",
                    metadata: ["backups": "\(forgotten)"])
            }
        } catch {
            failures.append("\(error)")
        }
        if !failures.isEmpty {
            throw EngineError(.targetFailed, failures.joined(separator: "; "))
        }
        return reports
    }

    /// Records a just-published backup in the catalog. A failure is logged, not fatal: the
    /// backup is safe on the target, and a rebuild finds it.
    func index(vmUUID: String, id: String, target name: String, logger: Logger) async {
        do {
            guard let stored = try await targets[name]?.backup(vmUUID: vmUUID, id: id) else { return }
            try await catalog.record(stored, target: name)
        } catch {
            logger.error(
                "the backup is published but not in the catalog; vmbackupd --rebuild-catalog adds it",
                metadata: ["backup.id": "\(id)", "error": "\(error)"])
        }
    }

    private static func checkDescription(_ text: String) throws {
        guard text.count <= 4000, !text.contains(where: { $0 == "\0" }) else {
            throw EngineError(.badRequest, "a backup description must be at most 4000 characters, without NUL")
        }
    }

    /// What a `PUT` changed, as log fields: `backup.name`, `backup.description`,
    /// `backup.protected`, each only when asked.
    static func changeMetadata(_ update: BackupUpdate) -> Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        if let name = update.name { metadata["backup.name"] = "\(name)" }
        if let description = update.description { metadata["backup.description"] = "\(description)" }
        if let protected = update.protected { metadata["backup.protected"] = "\(protected)" }
        return metadata
    }

}
