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

    /// The backups of `vm`, oldest first.
    func listBackups(vm: String) async throws -> [BackupSummary]

    /// One backup of `vm`; throws `not_found` when there is none with that id.
    func backup(vm: String, id: String) async throws -> BackupSummary

    /// One task; throws `task_not_found` when there is none with that id.
    func task(id: String) async throws -> TaskInfo

    /// Every task the daemon knows about.
    func tasks() async -> [TaskInfo]

    /// Asks a task to stop and returns it as it is now.
    func cancelTask(id: String) async throws -> TaskInfo

    /// What `GET /v1/status` reports.
    func status() async -> DaemonStatus
}
