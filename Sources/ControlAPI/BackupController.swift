import APIModel

/// What the daemon does for the socket API; the daemon's engine conforms to it.
///
/// Errors thrown are ``APIErrorInfo``: the API answers with the code's HTTP status. Any other
/// error becomes a 500 `internal` answer.
public protocol BackupController: Sendable {
    /// Queues a backup of `vm` (name or UUID) and returns its task, answered with 202.
    ///
    /// Throws `vm_not_found`, `vm_busy`, `bad_request` or `nothing_to_back_up` when the backup
    /// cannot be queued.
    func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo

    /// The backups of `vm`, oldest first: all of them, or only the children of backup `parent`.
    func listBackups(vm: String, parent: String?) async throws -> [BackupSummary]

    /// One backup of `vm`; throws `not_found` when there is none with that id.
    func backup(vm: String, id: String) async throws -> BackupSummary

    /// Renames, describes, protects or unprotects a backup; returns it as it is now.
    func updateBackup(vm: String, id: String, update: BackupUpdate) async throws -> BackupSummary

    /// Deletes a backup, and what depends on it as `children` says. Throws `precondition_failed`
    /// for a protected backup, or one with children when `children` is nil.
    func deleteBackup(vm: String, id: String, children: ChildrenDeletion?) async throws -> BackupDeletion

    /// Queues a verify of backup `id` of `vm` and returns its task, answered with 202.
    ///
    /// Throws `vm_not_found`, `backup_not_found` or `vm_busy` when the verify cannot be queued.
    func startVerify(vm: String, id: String) async throws -> TaskInfo

    /// Applies the VM's retention policy now (or only says what it would remove).
    func prune(vm: String, request: PruneRequest) async throws -> PruneResult

    /// One task; throws `task_not_found` when there is none with that id.
    func task(id: String) async throws -> TaskInfo

    /// Every task the daemon knows about.
    func tasks() async -> [TaskInfo]

    /// Asks a task to stop and returns it as it is now.
    func cancelTask(id: String) async throws -> TaskInfo

    /// `GET /metrics`: the daemon's metrics in Prometheus' text format.
    func metrics() async -> String

    /// What `GET /v1/status` reports.
    func status() async -> DaemonStatus
}
