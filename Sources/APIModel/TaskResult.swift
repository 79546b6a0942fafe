import Foundation

/// How a finished task ended, in short: what `GET /v1/status` (each scheduled VM's
/// `lastBackupTask`) and `GET /v1/vms` report of a VM's last backup.
public struct TaskResult: Codable, Sendable, Equatable {
    /// The task, when there was one: a scheduled backup refused before it became a task (its VM
    /// busy, its agent missing under `quiesce: required`) has none.
    public var taskID: String?
    public var kind: String
    /// `succeeded`, `failed` or `cancelled`.
    public var state: TaskState
    /// When it ended.
    public var finished: Date
    /// Set when it failed or was cancelled.
    public var error: APIErrorInfo?
    /// The step it failed at (`plan`, `freeze`, `stream`, ...), when known: the daemon keeps it
    /// for an hour, not across restarts.
    public var failedStep: String?

    public init(
        taskID: String?, kind: String, state: TaskState, finished: Date, error: APIErrorInfo? = nil,
        failedStep: String? = nil
    ) {
        self.taskID = taskID
        self.kind = kind
        self.state = state
        self.finished = finished
        self.error = error
        self.failedStep = failedStep
    }
}
