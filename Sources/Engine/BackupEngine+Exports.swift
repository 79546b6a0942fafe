import APIModel
import Catalog
import Scheduling

/// Instant access to a stored disk (`vmbackup mount`): served read-only over NBD on a Unix socket
/// until stopped, for file-level restore. The backup itself is never written to, and while it is
/// served it is neither deleted nor pruned. See ``ExportRegistry``.
extension BackupEngine {
    /// Serves a disk of the backup `reference` names: `request.disk`, or the backup's only stored
    /// disk. Returns once qemu-nbd listens on the export's socket.
    ///
    /// Throws `backup_not_found`, `bad_request` (no such disk, or several and none named: the
    /// message lists them), `already_exists` (that disk is served already), `backup_in_use`
    /// (the backup is being deleted) or `target_failed` (qemu-nbd cannot serve the image).
    public func mount(vm: String, id reference: String, request: MountRequest) async throws -> ExportSummary {
        let backup = try await resolveBackup(vm: vm, reference: reference)
        let disk = try ExportDiskChoice.disk(request.disk, of: backup)
        return try await exportRegistry.start(backup: backup, disk: disk, target: try target(named: backup.target))
    }

    /// Every export, oldest first.
    public func listExports() -> [ExportSummary] {
        exportRegistry.exports()
    }

    /// One export; `export_not_found` when there is none with that id.
    public func export(id: String) throws -> ExportSummary {
        try exportRegistry.export(id: id)
    }

    /// Stops an export and waits until its socket is gone; returns it. `export_not_found` when
    /// there is none with that id.
    public func unmount(id: String) async throws -> ExportSummary {
        try await exportRegistry.stop(id: id)
    }
}

extension BackupEngine {
    /// How a prune shows why it keeps a backup: one that is kept as protected only because
    /// `exports` serve it says `mounted (export ID)` instead.
    static func retentionReasons(_ reasons: [RetentionReason], exports: [String]?, isProtected: Bool) -> [String] {
        reasons.map { reason in
            guard reason == .protected, !isProtected, let exports, !exports.isEmpty else { return reason.description }
            return "mounted (export \(exports.joined(separator: ", ")))"
        }
    }
}
