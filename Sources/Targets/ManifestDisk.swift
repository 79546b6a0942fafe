import APIModel

/// One disk as `manifest.json` stores it: stored (with its image's file name and digest), or
/// excluded with the reason.
///
/// The manifest's own type, apart from the socket API's `DiskSummary`: the file format and the
/// wire format change for different reasons and at different times. `summary()` converts at the
/// edge. The keys are the file's (see docs/FORMAT.md): `target`, `method`, `format`,
/// `virtualSize`, `storedBytes`, `file`, `excluded`, and either `index`, `chunkSize` and `digest`
/// (format 2) or `sha256` (format 1); absent values are left out.
public struct ManifestDisk: Codable, Sendable, Equatable {
    /// The disk's target device in the domain: `vda`, `sdb`.
    public var target: String
    /// The snapshot method that took it; `nil` for an excluded disk.
    public var method: SnapshotMethodName?
    /// The stored image's format: `qcow2`.
    public var format: String?
    /// The guest-visible size, in bytes.
    public var virtualSize: UInt64?
    /// The bytes the image takes on the target.
    public var storedBytes: UInt64?
    /// Format 1: the SHA-256 of the whole guest-visible content, in lowercase hex.
    public var sha256: String?
    /// Format 2: the chunk index's file name inside the backup: `vda.index`.
    public var index: String?
    /// Format 2: the size of the index's chunks, in bytes.
    public var chunkSize: Int?
    /// Format 2: the disk's digest, the SHA-256 of its index file, in lowercase hex.
    public var digest: String?
    /// The image's file name inside the backup: `vda.qcow2`.
    public var file: String?
    /// The image or device the domain ran the disk on when it was backed up: what tells a disk
    /// that was swapped for another from the one the parent backup holds.
    public var source: String?
    /// For a disk stored as the changes since the parent backup: the parent's image, as the
    /// stored qcow2 names its backing file, relative to the backup's folder
    /// (`../20261122T013000Z-3f9a/vda.qcow2`). `nil` for an image that holds the whole disk.
    public var backingFile: String?
    /// Why the disk is not in the backup; `nil` for a stored disk.
    public var excluded: String?

    public init(
        target: String, method: SnapshotMethodName? = nil, format: String? = nil, virtualSize: UInt64? = nil,
        storedBytes: UInt64? = nil, sha256: String? = nil, index: String? = nil, chunkSize: Int? = nil,
        digest: String? = nil, file: String? = nil, backingFile: String? = nil, source: String? = nil,
        excluded: String? = nil
    ) {
        self.source = source
        self.target = target
        self.method = method
        self.format = format
        self.virtualSize = virtualSize
        self.storedBytes = storedBytes
        self.sha256 = sha256
        self.index = index
        self.chunkSize = chunkSize
        self.digest = digest
        self.file = file
        self.backingFile = backingFile
        self.excluded = excluded
    }

    /// The file name of disk `target`'s image inside a backup: `vda.qcow2`.
    public static func imageFileName(forDisk target: String) -> String { target + ".qcow2" }

    /// The disk as the socket API shows it.
    public func summary() -> DiskSummary {
        DiskSummary(
            target: target, method: method, format: format, virtualSize: virtualSize, storedBytes: storedBytes,
            sha256: sha256, digest: digest, file: file, backingFile: backingFile, excluded: excluded)
    }
}
