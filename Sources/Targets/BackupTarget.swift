import APIModel

/// Where backups are kept (DESIGN.md "The directory target"). Work in progress is invisible
/// until published; publishing is the last, atomic step.
public protocol BackupTarget: Sendable {
    /// Starts a backup for job `job`: a work-in-progress folder that `list` does not show,
    /// marked as this daemon's.
    func begin(vmUUID: String, backupID: BackupID, job: String?) throws -> PartialBackup
    /// The published backups of a VM, oldest first. Folders without a readable manifest are
    /// skipped, as is work in progress.
    func list(vmUUID: String) throws -> [StoredBackup]
    /// One published backup, or `nil` when there is none by that id.
    func backup(vmUUID: String, id: String) throws -> StoredBackup?
    /// The UUIDs of the VMs that have a folder on the target.
    func vmUUIDs() throws -> [String]
    /// Rewrites the manifest of a published backup with `change` applied, atomically: a reader
    /// sees the old manifest or the new one, never a mix. Only the name, description and
    /// protection may change. Throws when there is no such backup.
    func update(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) throws -> StoredBackup
    /// Deletes a published backup. It stops being listed at once (its folder is renamed first);
    /// then its files are removed. Throws when there is no such backup.
    func delete(vmUUID: String, id: String) throws
}

extension BackupTarget {
    /// Starts a backup that no job names.
    public func begin(vmUUID: String, backupID: BackupID) throws -> PartialBackup {
        try begin(vmUUID: vmUUID, backupID: backupID, job: nil)
    }
}

/// A published backup: its manifest and where it lies.
public struct StoredBackup: Sendable, Equatable {
    public var manifest: Manifest
    /// The backup's folder.
    public var directory: String

    public init(manifest: Manifest, directory: String) {
        self.manifest = manifest
        self.directory = directory
    }

    /// The backup as the socket API lists it.
    public func summary() -> BackupSummary {
        BackupSummary(
            id: manifest.backupID, name: manifest.name, vmName: manifest.vmName, vmUUID: manifest.vmUUID,
            created: manifest.created, parent: manifest.parent, consistency: manifest.consistency,
            disks: manifest.disks.map { $0.summary() }, location: directory,
            description: manifest.description,
            protected: manifest.protected)
    }
}
