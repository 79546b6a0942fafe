import APIModel

/// What the daemon does for the export endpoints (`vmbackup mount`): a stored disk served
/// read-only over NBD on a Unix socket until it is stopped.
///
/// Errors are answered as ``BackupController``'s are.
public protocol ExportController: Sendable {
    /// Serves a disk of backup `id` of `vm` (an id, a name or `latest`): `request.disk`, or the
    /// backup's only stored disk. Answered with 201 once the socket listens. Throws
    /// `backup_not_found`, `bad_request` (no such disk; several disks and none named),
    /// `already_exists` (that disk is served already) or `target_failed`.
    func mount(vm: String, id: String, request: MountRequest) async throws -> ExportSummary

    /// Every export, oldest first.
    func exports() async throws -> [ExportSummary]

    /// One export; throws `export_not_found` when there is none with that id.
    func export(id: String) async throws -> ExportSummary

    /// Stops an export and returns it once its socket is gone; throws `export_not_found`.
    func unmount(id: String) async throws -> ExportSummary
}
