import Foundation

/// The life cycle of a task (a backup job seen from the API).
public enum TaskState: String, Codable, Sendable {
    case queued, running, succeeded, failed, cancelled

    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// Bytes done out of bytes to do.
public struct TaskProgress: Codable, Sendable, Equatable {
    public var doneBytes: UInt64
    public var totalBytes: UInt64

    public init(doneBytes: UInt64 = 0, totalBytes: UInt64 = 0) {
        self.doneBytes = doneBytes
        self.totalBytes = totalBytes
    }
}

/// A task as the socket API reports it: `GET /v1/tasks/{id}`.
public struct TaskInfo: Codable, Sendable {
    public var id: String
    public var kind: String
    public var vm: String
    public var vmUUID: String?
    public var state: TaskState
    /// The step the job is in, e.g. `freezing`, `streaming vda`, `merging`.
    public var step: String?
    public var created: Date
    public var started: Date?
    public var finished: Date?
    public var progress: TaskProgress
    /// Set once the task succeeded: the backup it made.
    public var result: BackupSummary?
    /// Set once a restore succeeded: what it made.
    public var restored: RestoreSummary?
    /// Set once a drill ended, passed or failed: what it found.
    public var drill: DrillResult?
    /// Set once the task succeeded: where the result can be read through the API.
    public var resultURI: String?
    /// Set once the task failed or was cancelled.
    public var error: APIErrorInfo?
    /// How long the guest's filesystems stayed frozen (freeze call to thaw return), when they were.
    public var freezeWindowSeconds: Double?

    public init(
        id: String, kind: String, vm: String, vmUUID: String? = nil, state: TaskState, step: String? = nil,
        created: Date, started: Date? = nil, finished: Date? = nil, progress: TaskProgress = TaskProgress(),
        result: BackupSummary? = nil, resultURI: String? = nil, error: APIErrorInfo? = nil
    ) {
        self.id = id
        self.kind = kind
        self.vm = vm
        self.vmUUID = vmUUID
        self.state = state
        self.step = step
        self.created = created
        self.started = started
        self.finished = finished
        self.progress = progress
        self.result = result
        self.resultURI = resultURI
        self.error = error
    }
}
