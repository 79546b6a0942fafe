import APIModel

/// What the daemon does for the socket API; the daemon's engine conforms to it. The export
/// endpoints are ``ExportController``'s.
///
/// Errors thrown are ``APIErrorInfo``: the API answers with the code's HTTP status. Any other
/// error becomes a 500 `internal` answer.
///
/// Where a method takes a backup `id`, it is what the request's path or query named: a backup's
/// id, its name, or `latest` (the VM's newest backup). The controller resolves it, throwing
/// `backup_not_found` when it names none and `backup_ambiguous` when it is a name several
/// backups have; what it returns carries the backup's real id.
public protocol BackupController: ExportController, Sendable {
    /// Every VM with backups, defined on this host or not, and every domain defined here.
    func vms() async throws -> [VMSummary]

    /// Queues a restore drill of backup `id` of `vm` and returns its task, answered with 202.
    func startDrill(vm: String, id: String) async throws -> TaskInfo

    /// The drills of `vm`, newest first.
    func drills(vm: String) async throws -> [DrillResult]

    /// The domains running on overlays of stored images (restores `--instant`, drills).
    func instantCopies() async throws -> [InstantCopySummary]

    /// Makes an instant copy independent of the target; throws `not_found` for an unknown one.
    func keepInstantCopy(_ name: String) async throws -> InstantCopySummary

    /// Removes an instant copy: its domain, overlays and NVRAM.
    func discardInstantCopy(_ name: String) async throws -> InstantCopySummary

    /// Queues a backup of `vm` (name or UUID) and returns its task, answered with 202.
    ///
    /// Throws `vm_not_found`, `vm_busy`, `bad_request` or `nothing_to_back_up` when the backup
    /// cannot be queued.
    func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo

    /// Queues a restore of backup `id` of `vm` as `request` says and returns its task, answered
    /// with 202. Throws `backup_not_found`, `already_exists`, `vm_running` or `bad_request` when
    /// it cannot be queued.
    func startRestore(vm: String, id: String, request: RestoreRequest) async throws -> TaskInfo

    /// The backups of `vm`, oldest first: all of them, or only the children of the backup
    /// `parent` names.
    func listBackups(vm: String, parent: String?) async throws -> [BackupSummary]

    /// One backup of `vm`; throws `backup_not_found` when `id` names none.
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
