import APIModel
import Catalog
import Foundation
import Logging
import Scheduling

/// Retention: the VM's policy applied to its backups in the catalog, after each successful backup
/// and on demand (`POST /v1/vms/{vm}/prune`).
extension BackupEngine {
    public func prune(vm: String, request: PruneRequest) async throws -> PruneResult {
        let uuid = try await vmUUID(vm)
        let backups: [CatalogBackup]
        do {
            backups = try await catalog.backups(vmUUID: uuid)
        } catch {
            throw error.apiError
        }
        let name = backups.last?.vmName ?? vm
        let policy = settings.policy(forVM: name, uuid: uuid)
        return try await prune(
            vmName: name, vmUUID: uuid, backups: backups, retention: policy?.retention ?? .keepEverything,
            dryRun: request.dryRun)
    }

    /// Prunes after a successful backup, when the VM's policy keeps less than everything. A
    /// failure is logged: the new backup stands whatever happens here.
    func applyRetention(vmName: String, vmUUID: String, logger: Logger) async {
        guard let policy = settings.policy(forVM: vmName, uuid: vmUUID), !policy.retention.keepsEverything else {
            return
        }
        do {
            let backups = try await catalog.backups(vmUUID: vmUUID)
            let result = try await prune(
                vmName: vmName, vmUUID: vmUUID, backups: backups, retention: policy.retention, dryRun: false)
            if !result.removed.isEmpty {
                logger.notice(
                    "retention removed backups",
                    metadata: ["policy": "\(policy.name)", "removed": "\(result.removed.joined(separator: ","))"])
            }
        } catch {
            logger.error("retention failed; nothing more was removed", metadata: ["error": "\(error)"])
        }
    }

    private func prune(
        vmName: String, vmUUID: String, backups: [CatalogBackup], retention: RetentionPolicy, dryRun: Bool
    ) async throws -> PruneResult {
        let candidates = backups.map {
            RetentionCandidate(id: $0.id, created: $0.created, parent: $0.parent, isProtected: $0.isProtected)
        }
        let plan: RetentionPlan
        do {
            plan = try retention.plan(for: candidates, timeZone: settings.timeZone)
        } catch {
            throw APIErrorInfo(.internal, "cannot apply retention to the backups of VM \(vmName): \(error)")
        }
        let names = Dictionary(backups.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var removed: [String] = []
        if !dryRun {
            for id in plan.remove {
                try await remove(vmUUID: vmUUID, id: id, vmName: vmName)
                removed.append(id)
            }
        }
        return PruneResult(
            vmName: vmName, policy: retention.description, dryRun: dryRun,
            entries: plan.rows.map {
                PruneResult.Entry(
                    id: $0.id, name: names[$0.id] ?? nil, created: $0.created, action: $0.action.rawValue,
                    reasons: $0.reasons.map(\.description))
            },
            removed: dryRun ? plan.remove : removed)
    }
}
