/// One volume group as `vgs` reports it.
public struct VolumeGroup: Sendable, Equatable {
    public var name: String
    /// Space not allocated to any logical volume.
    public var freeBytes: UInt64
    /// The allocation unit: every logical volume's size is a multiple of it.
    public var extentSizeBytes: UInt64

    public init(name: String, freeBytes: UInt64, extentSizeBytes: UInt64) {
        self.name = name
        self.freeBytes = freeBytes
        self.extentSizeBytes = extentSizeBytes
    }
}
