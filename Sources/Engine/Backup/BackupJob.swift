import APIModel
import Logging

/// The backup kind of job: its plan is made (``BackupEngine/startBackup(vm:request:)``) before it
/// is queued; running it drives ``BackupJobStateMachine`` over ``LiveBackupEffects``, then indexes
/// the new backup, applies retention and closes the job's journal entry.
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
            await engine.applyRetention(
                vmName: backup.vmName, vmUUID: backup.vmUUID, target: context.targetName, logger: context.logger)
        }
        await engine.closeJournal(jobID: context.jobID, leftBehind: await effects.leftBehind, logger: context.logger)
        let window = await effects.freezeWindow
        switch result.outcome {
        case .succeeded:
            return JobOutcome(.succeeded, backup: result.backup, freezeWindow: window, target: context.targetName)
        case .failed(let error):
            return JobOutcome(.failed(error), freezeWindow: window, target: context.targetName)
        case .cancelled:
            return JobOutcome(.cancelled, freezeWindow: window, target: context.targetName)
        }
    }
}
