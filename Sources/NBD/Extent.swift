/// One run of bytes with the same allocation status, as the `base:allocation` meta context of
/// `nbd_block_status` reports it.
public struct Extent: Sendable, Equatable {
    public var offset: UInt64
    public var length: UInt64
    /// `LIBNBD_STATE_HOLE`: the range is not allocated. Its content is unspecified unless
    /// `isZero` is also set.
    public var isHole: Bool
    /// `LIBNBD_STATE_ZERO`: the range reads as zeros.
    public var isZero: Bool

    public init(offset: UInt64, length: UInt64, isHole: Bool, isZero: Bool) {
        self.offset = offset
        self.length = length
        self.isHole = isHole
        self.isZero = isZero
    }

    /// The first byte after the extent.
    public var end: UInt64 { offset + length }
}
