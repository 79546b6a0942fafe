import Foundation

/// What a policy's `notify_webhook` is POSTed (as JSON, in the API's dialect) when a job of one
/// of its VMs ends, and what its `notify_mail` mail says.
public struct JobNotice: Codable, Sendable, Equatable {
    /// `<kind>.<state>`: `backup.failed`, `backup.succeeded`, `verify.failed`, `drill.cancelled`.
    public var event: String
    /// The host the daemon runs on.
    public var host: String
    public var vm: String
    public var vmUUID: String?
    /// The policy whose settings sent this notice.
    public var policy: String
    /// The task: `vmbackup task ID`, `GET /v1/tasks/{id}`.
    public var taskID: String
    /// `backup`, `verify`, `drill`, `restore`.
    public var kind: String
    public var state: TaskState
    /// The step the job failed at (`freezing`, `streaming`, `merging`), when it failed.
    public var step: String?
    /// Why the job failed or that it was cancelled.
    public var error: APIErrorInfo?
    /// The backup the job made or worked on.
    public var backupID: String?
    public var target: String?
    public var started: Date?
    public var finished: Date?

    public init(
        event: String, host: String, vm: String, vmUUID: String?, policy: String, taskID: String, kind: String,
        state: TaskState, step: String?, error: APIErrorInfo?, backupID: String?, target: String?, started: Date?,
        finished: Date?
    ) {
        self.event = event
        self.host = host
        self.vm = vm
        self.vmUUID = vmUUID
        self.policy = policy
        self.taskID = taskID
        self.kind = kind
        self.state = state
        self.step = step
        self.error = error
        self.backupID = backupID
        self.target = target
        self.started = started
        self.finished = finished
    }
}
