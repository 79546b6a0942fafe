import CLibvirt

extension Domain {
    /// Starts a pull-mode backup job and, in the same step, the checkpoint the next incremental
    /// backup will count changes from; returns once QEMU's NBD server listens on the request's
    /// socket. The job runs until `abortJob()` ends it, which also removes the scratch files.
    ///
    /// Creating the checkpoint here rather than with `createCheckpoint(_:)` leaves no gap: a write
    /// the export does not show is one the new checkpoint's bitmap records. When the request is
    /// incremental and its checkpoint is gone or its bitmap broken, this throws an error whose
    /// `isBrokenCheckpointChain` is true, having started nothing.
    ///
    /// Wraps `virDomainBackupBegin`.
    public func beginBackup(_ request: PullBackupRequest, checkpoint: CheckpointDefinition?) throws(LibvirtError) {
        guard virDomainBackupBegin(pointer, request.xml, checkpoint?.xml, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainBackupBegin")
        }
    }

    /// The running backup job's XML: its socket, and per disk the NBD export name and the dirty
    /// bitmap exported (see `BackupJobXML`).
    ///
    /// Wraps `virDomainBackupGetXMLDesc`. Throws `VIR_ERR_NO_DOMAIN_BACKUP` when no backup job runs.
    public func backupJobXML() throws(LibvirtError) -> String {
        guard let xml = virDomainBackupGetXMLDesc(pointer, 0) else {
            throw LibvirtError.last(call: "virDomainBackupGetXMLDesc")
        }
        return String(libvirtOwned: xml)
    }

    /// Ends the domain's running job. For a pull-mode backup, the normal end once everything is
    /// read: QEMU stops the NBD server and libvirt removes the scratch files; the checkpoint made
    /// with the job stays.
    ///
    /// Wraps `virDomainAbortJobFlags` (no flags).
    public func abortJob() throws(LibvirtError) {
        guard virDomainAbortJobFlags(pointer, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainAbortJobFlags")
        }
    }
}
