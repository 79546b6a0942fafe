import APIModel
import Foundation

/// What a task does. Open-ended, so that a catalog written by a newer daemon still reads.
public struct TaskKind: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Backs up a VM.
    public static let backup = TaskKind(rawValue: "backup")
    /// Restores a backup.
    public static let restore = TaskKind(rawValue: "restore")
    /// Checks a backup's images against the hashes in its manifest.
    public static let verify = TaskKind(rawValue: "verify")
    /// Applies retention to a VM's backups.
    public static let prune = TaskKind(rawValue: "prune")

    public var description: String { rawValue }
}

/// A task as the catalog keeps it once it has finished, so `GET /v1/tasks` still answers after
/// a restart.
public struct CatalogTask: Sendable, Equatable {
    public var id: String
    public var kind: TaskKind
    /// The VM's name.
    public var vmName: String
    public var vmUUID: String?
    public var state: TaskState
    public var created: Date
    public var started: Date?
    public var finished: Date?
    public var progress: TaskProgress
    /// Set when the task failed or was cancelled.
    public var error: APIErrorInfo?
    /// The backup the task made (or restored, or verified).
    public var resultBackupID: String?

    public init(
        id: String, kind: TaskKind, vmName: String, vmUUID: String? = nil, state: TaskState, created: Date,
        started: Date? = nil, finished: Date? = nil, progress: TaskProgress = TaskProgress(),
        error: APIErrorInfo? = nil, resultBackupID: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.vmName = vmName
        self.vmUUID = vmUUID
        self.state = state
        self.created = created
        self.started = started
        self.finished = finished
        self.progress = progress
        self.error = error
        self.resultBackupID = resultBackupID
    }

    /// The task as the engine reports it. The step is not kept (a finished task has none), nor
    /// the freeze window.
    public init(_ info: TaskInfo) {
        self.init(
            id: info.id, kind: TaskKind(rawValue: info.kind), vmName: info.vm, vmUUID: info.vmUUID, state: info.state,
            created: info.created, started: info.started, finished: info.finished, progress: info.progress,
            error: info.error, resultBackupID: info.result?.id)
    }

    /// The task as the socket API reports it; `result` is the backup named by
    /// ``resultBackupID``, when the caller has it.
    public func info(result: BackupSummary? = nil) -> TaskInfo {
        TaskInfo(
            id: id, kind: kind.rawValue, vm: vmName, vmUUID: vmUUID, state: state, created: created, started: started,
            finished: finished, progress: progress, result: result, error: error)
    }
}
