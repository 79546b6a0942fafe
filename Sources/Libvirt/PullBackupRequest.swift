/// A pull-mode backup to begin: QEMU exports each backed-up disk's content, frozen at the
/// instant the job starts, read-only over NBD on a Unix socket, and the caller reads what it needs.
///
/// While the job runs the guest keeps writing; QEMU first copies each block the guest overwrites
/// into the disk's scratch file, so the export keeps showing the old content.
public struct PullBackupRequest: Sendable, Equatable {
    /// One disk to export.
    public struct Disk: Sendable, Equatable {
        /// The target dev, e.g. `vda`.
        public var name: String
        /// Where QEMU keeps the blocks the guest overwrites during the job: a qcow2 file libvirt
        /// creates and removes when the job ends. If a file is there already, libvirt refuses to
        /// begin ("store ... for backup of 'vda' exists") and leaves it.
        public var scratchPath: String

        public init(name: String, scratchPath: String) {
            self.name = name
            self.scratchPath = scratchPath
        }
    }

    /// The checkpoint whose changes to export (an incremental backup), or `nil` to export every
    /// block (a full backup).
    public var incrementalSince: String?
    /// The Unix socket QEMU's NBD server listens on, removed when the job ends. QEMU replaces
    /// whatever file is at that path, so it must be one only the daemon uses.
    public var socketPath: String
    public var disks: [Disk]
    /// Target devs of the domain not to back up (`backup='no'`).
    public var skippedDisks: [String]

    public init(incrementalSince: String?, socketPath: String, disks: [Disk], skippedDisks: [String] = []) {
        self.incrementalSince = incrementalSince
        self.socketPath = socketPath
        self.disks = disks
        self.skippedDisks = skippedDisks
    }

    /// The `<domainbackup mode='pull'>` for `virDomainBackupBegin`.
    public var xml: String {
        var lines = ["<domainbackup mode='pull'>"]
        if let incrementalSince {
            lines.append("  <incremental>\(XMLEscaping.escape(incrementalSince))</incremental>")
        }
        lines.append("  <server transport='unix' socket='\(XMLEscaping.escape(socketPath))'/>")
        lines.append("  <disks>")
        for disk in disks {
            lines.append("    <disk name='\(XMLEscaping.escape(disk.name))' backup='yes' type='file'>")
            lines.append("      <scratch file='\(XMLEscaping.escape(disk.scratchPath))'/>")
            lines.append("    </disk>")
        }
        for disk in skippedDisks {
            lines.append("    <disk name='\(XMLEscaping.escape(disk))' backup='no'/>")
        }
        lines.append(contentsOf: ["  </disks>", "</domainbackup>"])
        return lines.joined(separator: "\n")
    }
}
