import APIModel
import Catalog
import Foundation
import Scheduling

/// The verify schedule's source: the VMs whose policy has a `verify_schedule`, and their due
/// backups verified one after the other.
public struct VerifySchedule: PolicyScheduleSource {
    let engine: BackupEngine

    public init(engine: BackupEngine) { self.engine = engine }

    public var work: String { "verify" }

    public func scheduledVMs() async throws -> [ScheduledVM] {
        try await engine.scheduledVMs { $0.verifySchedule }
    }

    public func schedule(of policy: BackupPolicy) -> CalendarExpression? { policy.verifySchedule }

    public func lastRun(vmUUID: String) async -> Date? { await engine.lastVerification(vmUUID: vmUUID) }

    public func run(_ vm: ScheduledVM) async {
        await engine.verifyDueBackups(vmUUID: vm.uuid, reverifyAfterSeconds: vm.policy.reverifyAfterSeconds)
    }
}

extension BackupEngine {
    /// The VMs libvirt knows whose policy has the schedule `schedule` reads.
    func scheduledVMs(with schedule: (BackupPolicy) -> CalendarExpression?) async throws -> [ScheduledVM] {
        let settings = self.settings
        return try await domains().compactMap { domain in
            guard let policy = settings.policy(forVM: domain.name, uuid: domain.uuid), schedule(policy) != nil
            else { return nil }
            return ScheduledVM(uuid: domain.uuid, name: domain.name, policy: policy)
        }
    }

    public func lastVerification(vmUUID: String) async -> Date? {
        let backups = (try? await catalog.backups(vmUUID: vmUUID)) ?? []
        return backups.compactMap(\.verification?.verified).max()
    }

    /// Verifies the VM's due backups (``VerifyDue``) on the targets the config has, each as a task
    /// of its own, waiting for each before the next. A backup being verified already is passed
    /// over. Cancelling the calling task (the daemon stops) cancels the verify under way.
    public func verifyDueBackups(vmUUID: String, reverifyAfterSeconds: Int) async {
        let backups: [CatalogBackup]
        do {
            backups = try await catalog.backups(vmUUID: vmUUID).filter { targets[$0.target] != nil }
        } catch {
            logger.error(
                "scheduled verify: cannot list the backups", metadata: ["vm.uuid": "\(vmUUID)", "error": "\(error)"])
            return
        }
        let due = VerifyDue.backups(backups, now: Date(), reverifyAfterSeconds: reverifyAfterSeconds)
        var failed = 0
        var verified = 0
        for backup in due where !Task.isCancelled {
            let task: TaskInfo
            do {
                task = try await startVerify(vm: vmUUID, id: backup.id)
            } catch {
                logger.warning(
                    "scheduled verify of a backup could not start",
                    metadata: ["vm.name": "\(backup.vmName)", "backup.id": "\(backup.id)", "error": "\(error)"])
                continue
            }
            let registry = self.registry
            let finished = await withTaskCancellationHandler {
                await registry.finished(task.id)
            } onCancel: {
                Task { _ = await registry.cancel(task.id) }
            }
            if finished?.state == .succeeded { verified += 1 } else { failed += 1 }
        }
        logger.info(
            "scheduled verify finished",
            metadata: ["vm.uuid": "\(vmUUID)", "backups.verified": "\(verified)", "backups.failed": "\(failed)"])
    }
}
