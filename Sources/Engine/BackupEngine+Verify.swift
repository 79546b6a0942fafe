import APIModel
import Catalog
import Foundation
import Targets

extension BackupEngine {
    /// Queues a verify of backup `id` (its id, its name or `latest`) of `vm` (a name or UUID; a VM
    /// libvirt no longer has is found by its backups) and returns its task, answered with 202.
    ///
    /// Fails at once, changing nothing, for an unknown VM (`vm_not_found`) or backup
    /// (`backup_not_found`, `backup_ambiguous`), a backup being verified already (`vm_busy`), and
    /// a backup on a target the config no longer has (`precondition_failed`). The verify waits for
    /// a slot of the host and of the backup's target, like a backup.
    ///
    /// A verify only reads the stored backup: the VM's backups, restores and other verifies go on
    /// meanwhile, so that a long verify never makes a scheduled backup skip its run. Should the
    /// backup be deleted meanwhile (retention after a new backup, say), the verify ends with
    /// `backup_not_found` and records nothing.
    public func startVerify(vm: String, id: String) async throws -> TaskInfo {
        let backup = try await resolveBackup(vm: vm, reference: id)
        guard let target = targets[backup.target],
            let targetSettings = settings.targets.first(where: { $0.name == backup.target })
        else {
            throw EngineError(
                .preconditionFailed,
                "backup \(backup.id) of VM \(backup.vmName) lies on target '\(backup.target)', which the config no "
                    + "longer has; add it back to verify the backup", step: .plan, vm: backup.vmName)
        }
        let info: TaskInfo
        let progress: ProgressCounter
        do {
            (info, progress) = try await registry.reserve(
                vmName: backup.vmName, vmUUID: backup.vmUUID, kind: VerifyJob.kind,
                busyKey: "verify:\(backup.vmUUID)/\(backup.id)")
        } catch {
            throw EngineError(
                .vmBusy, "backup \(backup.id) of VM \(backup.vmName) is being verified already (\(error.message))",
                step: .plan, vm: backup.vmName)
        }
        progress.setTotal(VerifyPlan.totalBytes(of: backup.manifest))
        let jobLogger = logger.with([
            "vm.name": "\(backup.vmName)", "job.id": "\(info.id)", "backup.id": "\(backup.id)",
            "job.kind": "\(VerifyJob.kind)",
        ])
        let plan = VerifyPlan(
            vmName: backup.vmName, vmUUID: backup.vmUUID, backupID: backup.id, targetName: backup.target,
            manifest: backup.manifest)
        let effects = LiveVerifyEffects(
            target: target, streamer: streamer.logging(to: jobLogger), vmUUID: backup.vmUUID, backupID: backup.id)
        let limits = [
            SlotLimit.host(settings.maxConcurrentJobs), .target(backup.target, targetSettings.maxConcurrentJobs),
        ]
        await runner.enqueue(
            JobRunner.Submission(
                taskID: info.id, vmName: backup.vmName, limits: limits,
                job: VerifyJob(plan: plan, effects: effects, catalog: catalog, logger: jobLogger), logger: jobLogger))
        jobLogger.info("verify queued")
        return await registry.info(info.id) ?? info
    }
}
