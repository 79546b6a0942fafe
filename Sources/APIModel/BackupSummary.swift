import Foundation

/// One backup as listed by `GET /v1/vms/{vm}/backups`.
public struct BackupSummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var vmName: String
    public var vmUUID: String
    public var created: Date
    public var parent: String?
    /// `full`, `incremental` or `differential`.
    public var level: BackupLevel?
    /// Why the backup is full although an incremental was asked for.
    public var fullReason: String?
    /// How many backups lie between this one and the full its chain starts with: 0 for a full.
    public var chainDepth: Int?
    public var consistency: Consistency
    public var disks: [DiskSummary]
    /// The backup's folder on the target.
    public var location: String
    /// Free text an administrator attached to the backup.
    public var description: String?
    /// Never removed by retention, nor deleted until unprotected.
    public var protected: Bool
    /// The name of the target holding the backup (`default` for the one of `[target]`).
    public var target: String?
    /// The backup's last verification; `nil` when it was never verified.
    public var verification: Verification?

    public init(
        id: String, name: String?, vmName: String, vmUUID: String, created: Date, parent: String?,
        consistency: Consistency, disks: [DiskSummary], location: String, description: String? = nil,
        protected: Bool = false, target: String? = nil, verification: Verification? = nil, level: BackupLevel? = nil,
        fullReason: String? = nil, chainDepth: Int? = nil
    ) {
        self.level = level
        self.fullReason = fullReason
        self.chainDepth = chainDepth
        self.id = id
        self.name = name
        self.vmName = vmName
        self.vmUUID = vmUUID
        self.created = created
        self.parent = parent
        self.consistency = consistency
        self.disks = disks
        self.location = location
        self.description = description
        self.protected = protected
        self.target = target
        self.verification = verification
    }
}

/// One disk of a backup: stored, or excluded with the reason.
public struct DiskSummary: Codable, Sendable, Equatable {
    public var target: String
    public var method: SnapshotMethodName?
    public var format: String?
    public var virtualSize: UInt64?
    public var storedBytes: UInt64?
    /// Format 1 backups: the SHA-256 of the whole content.
    public var sha256: String?
    /// Format 2 backups: the SHA-256 of the disk's chunk index.
    public var digest: String?
    public var file: String?
    /// The parent's image this disk's image is stored on top of, relative to the backup's folder;
    /// `nil` when the image holds the whole disk.
    public var backingFile: String?
    public var excluded: String?

    public init(
        target: String, method: SnapshotMethodName? = nil, format: String? = nil, virtualSize: UInt64? = nil,
        storedBytes: UInt64? = nil, sha256: String? = nil, digest: String? = nil, file: String? = nil,
        backingFile: String? = nil, excluded: String? = nil
    ) {
        self.target = target
        self.method = method
        self.format = format
        self.virtualSize = virtualSize
        self.storedBytes = storedBytes
        self.sha256 = sha256
        self.digest = digest
        self.file = file
        self.backingFile = backingFile
        self.excluded = excluded
    }
}
