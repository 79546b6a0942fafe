import APIModel
import Catalog
import Foundation
import Logging
import Scheduling

/// Retention: the VM's policy applied to its backups in the catalog, after each successful backup
/// and on demand (`POST /v1/vms/{vm}/prune`). Each target's backups are pruned apart: a policy
/// with `keep_last = 3` keeps the three newest on every target, so an extra copy elsewhere never
/// makes retention remove one here.
extension BackupEngine {
    /// Applies the VM's policy on every target (or only says what it would do, for a dry run).
    /// Refuses (`vm_busy`) while a task of the VM runs or another delete or prune changes its
    /// backups, unless it is a dry run.
    public func prune(vm: String, request: PruneRequest) async throws -> PruneResult {
        let uuid = try await vmUUID(vm)
        // Marked first, then checked: a backup that starts meanwhile sees the mark and waits.
        if !request.dryRun { try chainEdits.begin(vmUUID: uuid, vmName: vm) }
        defer { if !request.dryRun { chainEdits.end(vmUUID: uuid) } }
        if !request.dryRun { try await refuseWhileBusy(vmUUID: uuid, vmName: vm) }
        let backups: [CatalogBackup]
        do {
            backups = try await catalog.backups(vmUUID: uuid)
        } catch {
            throw EngineError(catalog: error)
        }
        let name = backups.last?.vmName ?? vm
        let retention = settings.policy(forVM: name, uuid: uuid)?.retention ?? .keepEverything
        var result = PruneResult(
            vmName: name, policy: retention.description, dryRun: request.dryRun, entries: [], removed: [])
        for target in settings.targets.map(\.name) + Self.unknownTargets(of: backups, settings: settings) {
            let group = backups.filter { $0.target == target }
            guard !group.isEmpty else { continue }
            let part = try await prune(
                vmName: name, vmUUID: uuid, target: target, backups: group, retention: retention,
                dryRun: request.dryRun)
            result.entries += part.entries
            result.removed += part.removed
        }
        return result
    }

    /// Prunes the VM's backups on `target` after a successful backup there, when the VM's policy
    /// keeps less than everything. A failure is logged: the new backup stands whatever happens.
    func applyRetention(vmName: String, vmUUID: String, target: String, logger: Logger) async {
        guard let policy = settings.policy(forVM: vmName, uuid: vmUUID), !policy.retention.keepsEverything else {
            return
        }
        do {
            try chainEdits.begin(vmUUID: vmUUID, vmName: vmName)
            defer { chainEdits.end(vmUUID: vmUUID) }
            let backups = try await catalog.backups(vmUUID: vmUUID).filter { $0.target == target }
            let result = try await prune(
                vmName: vmName, vmUUID: vmUUID, target: target, backups: backups, retention: policy.retention,
                dryRun: false)
            if !result.removed.isEmpty {
                logger.notice(
                    "retention removed backups",
                    metadata: [
                        "policy": "\(policy.name)", "target": "\(target)",
                        "removed": "\(result.removed.joined(separator: ","))",
                    ])
            }
        } catch {
            logger.error("retention failed; nothing more was removed", metadata: ["error": "\(error)"])
        }
    }

    /// Targets the catalog names that the config does not have (a rebuild forgets them; until
    /// then their backups are shown, and kept).
    private static func unknownTargets(of backups: [CatalogBackup], settings: Settings) -> [String] {
        let known = Set(settings.targets.map(\.name))
        return Array(Set(backups.map(\.target)).subtracting(known)).sorted()
    }

    /// Plans retention for the backups of one target and, unless `dryRun`, removes what it says:
    /// deepest first, each merged into its children when it still has some, else deleted.
    private func prune(
        vmName: String, vmUUID: String, target: String, backups: [CatalogBackup], retention: RetentionPolicy,
        dryRun: Bool
    ) async throws -> PruneResult {
        // A backup an instant copy reads, or an export serves, is kept as a protected one is; a
        // backup whose verification failed is kept too, and the prune report says why.
        let inUse = await backupsInUse(vmUUID: vmUUID)
        let mounted = exportRegistry.backupsInUse(vmUUID: vmUUID)
        let candidates = backups.map {
            RetentionCandidate(
                id: $0.id, created: $0.created, parent: $0.parent,
                isProtected: $0.isProtected || inUse[$0.id] != nil || mounted[$0.id] != nil,
                isGood: !$0.failedVerification, isRewritable: inUse[$0.id] == nil && mounted[$0.id] == nil)
        }
        // Kept as protected for a reason of their own, whatever an export does.
        let keptAnyway = Set(backups.filter { $0.isProtected || inUse[$0.id] != nil }.map(\.id))
        let plan: RetentionPlan
        do {
            // A target the config no longer has is only listed: everything on it is kept.
            plan = try (targets[target] == nil ? .keepEverything : retention)
                .plan(for: candidates, timeZone: settings.timeZone)
        } catch {
            throw EngineError(.internal, "cannot apply retention to the backups of VM \(vmName): \(error)")
        }
        let names = Dictionary(backups.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var removed: [String] = []
        if !dryRun {
            for id in plan.remove {
                _ = try await removeMerging(vmUUID: vmUUID, id: id, vmName: vmName, target: target)
                removed.append(id)
            }
        }
        return PruneResult(
            vmName: vmName, policy: retention.description, dryRun: dryRun,
            entries: plan.rows.map {
                PruneResult.Entry(
                    id: $0.id, name: names[$0.id] ?? nil, created: $0.created, action: $0.action.rawValue,
                    reasons: Self.retentionReasons(
                        $0.reasons, exports: mounted[$0.id], isProtected: keptAnyway.contains($0.id)),
                    target: target, mergeInto: $0.mergeInto.isEmpty ? nil : $0.mergeInto)
            },
            removed: dryRun ? plan.remove : removed)
    }
}
