/// What a restore made: `TaskInfo.restored` once the task succeeded.
public struct RestoreSummary: Codable, Sendable, Equatable {
    /// Where the backup went.
    public enum Mode: String, Codable, Sendable {
        /// New image files in a folder.
        case files
        /// A new domain beside the original.
        case domain
        /// Over the domain's own disks.
        case inPlace
    }

    public var mode: Mode
    /// The domain defined (`domain`) or reverted (`inPlace`); `nil` for `files`.
    public var domain: String?
    public var domainUUID: String?
    /// How the domain was left: `running`, `paused`, or `nil` when it was not started.
    public var started: RestoreRequest.Start?
    public var disks: [RestoredDisk]
    /// The domain's UEFI NVRAM and TPM state files written, by where they went.
    public var files: [String]

    public init(
        mode: Mode, domain: String? = nil, domainUUID: String? = nil, started: RestoreRequest.Start? = nil,
        disks: [RestoredDisk], files: [String] = []
    ) {
        self.mode = mode
        self.domain = domain
        self.domainUUID = domainUUID
        self.started = started
        self.disks = disks
        self.files = files
    }
}

/// One restored disk: where it came from, where it went, and the digest it was checked against.
public struct RestoredDisk: Codable, Sendable, Equatable {
    public var target: String
    /// The backup the disk was restored from.
    public var backupID: String
    /// The image file or device written.
    public var path: String
    public var format: String
    public var virtualSize: UInt64
    /// The data bytes written (zero ranges of a new image are not).
    public var writtenBytes: UInt64
    /// What the content read was checked against: the disk's digest (format 2) or its SHA-256
    /// (format 1); `nil` for an instant restore, which copies nothing.
    public var checkedDigest: String?
    /// For an instant restore: the stored image the overlay at `path` reads through.
    public var backingFile: String?

    public init(
        target: String, backupID: String, path: String, format: String, virtualSize: UInt64, writtenBytes: UInt64,
        checkedDigest: String?, backingFile: String? = nil
    ) {
        self.target = target
        self.backupID = backupID
        self.path = path
        self.format = format
        self.virtualSize = virtualSize
        self.writtenBytes = writtenBytes
        self.checkedDigest = checkedDigest
        self.backingFile = backingFile
    }
}
