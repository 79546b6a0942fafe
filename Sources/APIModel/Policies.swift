/// How a backup treats the guest's filesystems before its disks are snapshotted.
public enum QuiescePolicy: String, Codable, Sendable, CaseIterable {
    /// Fail, leaving nothing behind, when the guest agent is missing or the freeze fails.
    case required
    /// Freeze when the agent answers; otherwise fall back to a crash-consistent backup.
    case preferred
    /// Never freeze: a crash-consistent backup.
    case off
}

/// What a backup's content is consistent with.
public enum Consistency: String, Codable, Sendable {
    /// Taken while the guest's filesystems were frozen through the guest agent.
    case filesystem
    /// Taken without a freeze: as if the power had been cut at that moment.
    case crash
}

/// How one disk was snapshotted to obtain its read-only backupSource.
public enum SnapshotMethodName: String, Codable, Sendable, CaseIterable {
    /// libvirt external disk-only snapshot; the previous top image is the backupSource.
    case qcow2
    /// An LVM snapshot of the logical volume.
    case lvm
    /// A read-only btrfs snapshot of the subvolume holding the disk file.
    case btrfs
    /// A reflink copy (FICLONE) of the disk file, made while the domain is paused for an instant:
    /// for files on XFS (made with reflink) or btrfs.
    case reflink
    /// No snapshot: the domain is shut off, its image itself is the backupSource.
    case offline
}

/// What a backup stores: everything, or only what changed since a parent backup.
public enum BackupLevel: String, Codable, Sendable, CaseIterable {
    /// Every disk's whole content; the backup starts a chain.
    case full
    /// What changed since the VM's previous good backup, which becomes its parent.
    case incremental
    /// What changed since the VM's last full backup, which becomes its parent.
    case differential
    /// A full when there is no valid parent, or when the chain is older or longer than the
    /// policy allows (`full_every`, `max_chain`); otherwise an incremental. Only asked for: a
    /// stored backup's level is one of the others.
    case auto
}
