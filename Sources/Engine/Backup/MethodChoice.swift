import APIModel
import Snapshots

/// What the host knows about a disk's source, gathered before planning.
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

/// Chooses each disk's snapshot method (DESIGN.md "Snapshot methods"): by what the disk is, unless
/// overridden; an override that cannot work is an error before anything is frozen.
enum MethodChoice {
    static func choose(
        kind: DiskKind, facts: DiskFacts, override: SnapshotMethodName?, domainRunning: Bool, disk: String, vm: String
    ) throws(APIErrorInfo) -> SnapshotMethodName {
        if let override, let reason = impossibility(of: override, kind: kind, facts: facts) {
            throw APIErrorInfo(
                .badRequest, "disk \(disk) of VM \(vm) cannot use the \(override.rawValue) method: \(reason)")
        }
        guard domainRunning else { return .offline }
        if let override { return override }
        switch kind {
        case .block:
            guard facts.isLogicalVolume else {
                throw APIErrorInfo(
                    .badRequest,
                    "disk \(disk) of VM \(vm) is a block device that is not a logical volume: no method can snapshot it; exclude it"
                )
            }
            return .lvm
        case .file:
            return facts.isOnBtrfs ? .btrfs : .qcow2
        }
    }

    /// Why `method` cannot snapshot such a disk, or nil when it can.
    static func impossibility(of method: SnapshotMethodName, kind: DiskKind, facts: DiskFacts) -> String? {
        switch method {
        case .lvm:
            if kind != .block { return "it is a file, not a block device" }
            if !facts.isLogicalVolume { return "the block device is not a logical volume" }
        case .btrfs:
            if kind != .file { return "it is a block device, not a file" }
            if !facts.isOnBtrfs { return "its file is not on btrfs" }
        case .qcow2:
            if kind != .file { return "it is a block device, not a file" }
        case .reflink:
            if kind != .file { return "it is a block device, not a file" }
            if !facts.canReflink { return "its file is not on XFS or btrfs, which reflink copies need" }
        case .offline:
            return "offline is chosen by itself for a shut-off domain"
        }
        return nil
    }
}
