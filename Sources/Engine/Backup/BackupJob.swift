import APIModel
import Logging

/// The backup kind of job: its plan is made (``BackupEngine/startBackup(vm:request:)``) before it
/// is queued; running it drives ``BackupJobStateMachine`` over ``LiveBackupEffects``, then indexes
/// the new backup and applies retention; the runner then closes the job's journal entry.
struct BackupJob: Job {
    static let kind = "backup"

    let context: LiveBackupEffects.Context
    let setup: BackupJobStateMachine.Setup
    let engine: BackupEngine

    func run(_ job: JobContext) async -> JobOutcome {
        let effects = LiveBackupEffects(context)
        let driver = BackupJobDriver(
            effects: effects, setup: setup, vmName: context.plan.vmName, logger: context.logger,
            onStep: { await job.enter($0) })
        let result = await driver.run()
        if case .succeeded = result.outcome, let backup = result.backup {
            await engine.index(vmUUID: backup.vmUUID, id: backup.id, target: context.targetName, logger: context.logger)
            if backup.level == .full { await engine.chainStarted(vmUUID: backup.vmUUID, logger: context.logger) }
            await engine.pruneCheckpoints(of: context.domain, vmUUID: backup.vmUUID, logger: context.logger)
            await engine.applyRetention(
                vmName: backup.vmName, vmUUID: backup.vmUUID, target: context.targetName, logger: context.logger)
        }
        let window = await effects.freezeWindow
        let leftBehind = await effects.leftBehind
        let state: JobOutcome.State =
            switch result.outcome {
            case .succeeded: .succeeded
            case .failed(let error): .failed(error)
            case .cancelled: .cancelled
            }
        return JobOutcome(
            state, backup: result.backup, freezeWindow: window, target: context.targetName, leftBehind: leftBehind)
    }

    func count(_ outcome: JobOutcome, vmName: String, duration: Duration) {
        BackupMetrics.shared.recordJob(
            result: outcome.resultName, vmName: vmName, target: outcome.target ?? "", duration: duration,
            bytesWritten: outcome.backup.map { $0.disks.reduce(0) { $0 + ($1.storedBytes ?? 0) } })
    }
}
