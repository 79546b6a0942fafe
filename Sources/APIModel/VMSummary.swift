import Foundation

/// One VM as listed by `GET /v1/vms`: a VM with backups in the catalog, whether or not libvirt
/// defines it on this host, or a domain defined here that has no backups yet.
public struct VMSummary: Codable, Sendable, Equatable {
    /// libvirt's name for the VM when it defines it here, else the name in its newest backup.
    public var vmName: String
    public var vmUUID: String
    /// Whether libvirt on this host defines the VM. A VM that it does not (deleted, or moved to
    /// another host) is still named by its name or UUID in the other requests.
    public var defined: Bool
    /// How many backups of the VM the catalog holds, on every target.
    public var backupCount: Int
    /// The id of the VM's newest backup (what `latest` names), nil when it has none.
    public var latestBackupID: String?
    /// When that backup was made.
    public var latestBackupCreated: Date?
    /// The bytes the VM's backups take on their targets, summed over every stored disk image.
    public var storedBytes: UInt64
    /// How the VM's last backup task ended, failed ones included; absent when the daemon knows of
    /// none.
    public var lastBackupTask: TaskResult?

    public init(
        vmName: String, vmUUID: String, defined: Bool, backupCount: Int, latestBackupID: String? = nil,
        latestBackupCreated: Date? = nil, storedBytes: UInt64 = 0, lastBackupTask: TaskResult? = nil
    ) {
        self.vmName = vmName
        self.vmUUID = vmUUID
        self.defined = defined
        self.backupCount = backupCount
        self.latestBackupID = latestBackupID
        self.latestBackupCreated = latestBackupCreated
        self.storedBytes = storedBytes
        self.lastBackupTask = lastBackupTask
    }
}
