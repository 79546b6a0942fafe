/// What the host knows about a disk's source, gathered before planning: what each snapshot method
/// asks of a disk before it can take it.
public struct DiskFacts: Sendable, Equatable {
    /// The block device is a logical volume (thick or thin).
    public var isLogicalVolume: Bool
    /// The file lives on a btrfs filesystem.
    public var isOnBtrfs: Bool
    /// The file lives on a filesystem that can share extents between files (XFS, btrfs).
    public var canReflink: Bool

    public init(isLogicalVolume: Bool = false, isOnBtrfs: Bool = false, canReflink: Bool = false) {
        self.isLogicalVolume = isLogicalVolume
        self.isOnBtrfs = isOnBtrfs
        self.canReflink = canReflink
    }
}
