import APIModel
import Catalog
import Foundation

/// How each VM's last backup ended, for `GET /v1/status` and `GET /v1/vms`.
extension BackupEngine {
    /// Each VM's last finished backup task, by lowercased VM UUID: the newest of those the
    /// registry holds (with the step a failure happened at) and those the catalog keeps. A catalog
    /// that cannot be read leaves out what only it knows.
    public func lastBackupTasks() async -> [String: TaskResult] {
        var results: [String: TaskResult] = [:]
        // The registry's copy of a task the catalog also keeps wins: only it has the step.
        func keep(_ result: TaskResult, vmUUID: String?) {
            guard let key = vmUUID?.lowercased() else { return }
            if let known = results[key], known.finished > result.finished, known.taskID != result.taskID { return }
            results[key] = result
        }
        let stored = (try? await catalog.lastFinishedTasks(kind: TaskKind(rawValue: BackupJob.kind))) ?? []
        for task in stored {
            guard let finished = task.finished else { continue }
            keep(
                TaskResult(
                    taskID: task.id, kind: task.kind.rawValue, state: task.state, finished: finished,
                    error: task.error),
                vmUUID: task.vmUUID)
        }
        for task in await registry.all() where task.kind == BackupJob.kind && task.state.isFinished {
            guard let finished = task.finished else { continue }
            let step = await registry.failedStep(task.id)
            keep(
                TaskResult(
                    taskID: task.id, kind: task.kind, state: task.state, finished: finished, error: task.error,
                    failedStep: step?.rawValue),
                vmUUID: task.vmUUID)
        }
        return results
    }
}
