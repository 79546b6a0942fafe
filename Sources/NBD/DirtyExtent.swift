/// A run of bytes written since a checkpoint, as the `qemu:dirty-bitmap:<bitmap>` meta context of
/// `nbd_block_status` reports it. Its bounds follow the bitmap's granularity (64 KiB by default):
/// a one-byte write makes a whole granule dirty.
public struct DirtyExtent: Sendable, Equatable {
    public var offset: UInt64
    public var length: UInt64

    public init(offset: UInt64, length: UInt64) {
        self.offset = offset
        self.length = length
    }

    /// The first byte after the extent.
    public var end: UInt64 { offset + length }
}
