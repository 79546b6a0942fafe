import CNBD

extension NBDConnection {
    /// The largest length one block status request may cover: the protocol's lengths are 32-bit.
    public static let maximumBlockStatusLength: UInt64 = 1 << 31

    /// The allocation of the bytes from `offset` on, in order and without gaps.
    ///
    /// The server may describe less than `length` bytes (ask again from the last extent's end)
    /// but never more: extents are clipped to `offset + length`. `length` is clipped to
    /// `maximumBlockStatusLength`. Wraps `nbd_block_status` with the `base:allocation` context.
    public func blockStatus(offset: UInt64, length: UInt64) throws(NBDError) -> [Extent] {
        let length = min(length, Self.maximumBlockStatusLength)
        guard length > 0 else { return [] }
        let collector = ExtentCollector(start: offset, end: offset + length)
        let userData = Unmanaged.passUnretained(collector).toOpaque()
        let callback = nbd_extent_callback(callback: collectExtents, user_data: userData, free: nil)
        let result = withExtendedLifetime(collector) { nbd_block_status(handle, length, offset, callback, 0) }
        guard result != -1 else { throw NBDError.last("nbd_block_status") }
        return collector.extents
    }
}

/// Accumulates the extents that libnbd hands to the callback of one `nbd_block_status` call.
private final class ExtentCollector {
    let start: UInt64
    let end: UInt64
    var extents: [Extent] = []

    init(start: UInt64, end: UInt64) {
        self.start = start
        self.end = end
    }

    /// Appends `(length, flags)` pairs that begin at `offset`, clipped to the requested range.
    func append(offset: UInt64, entries: UnsafeBufferPointer<UInt32>) {
        var position = offset
        var index = 0
        while index + 1 < entries.count, position < end {
            let length = min(UInt64(entries[index]), end - position)
            let flags = entries[index + 1]
            let isHole = flags & UInt32(LIBNBD_STATE_HOLE) != 0
            let isZero = flags & UInt32(LIBNBD_STATE_ZERO) != 0
            if length > 0 {
                if var last = extents.last, last.end == position, last.isHole == isHole, last.isZero == isZero {
                    last.length += length
                    extents[extents.count - 1] = last
                } else {
                    extents.append(Extent(offset: position, length: length, isHole: isHole, isZero: isZero))
                }
            }
            position += length
            index += 2
        }
    }
}

/// The C callback of `nbd_block_status`: keeps the `base:allocation` entries only.
private func collectExtents(
    userData: UnsafeMutableRawPointer?, context: UnsafePointer<CChar>?, offset: UInt64,
    entries: UnsafeMutablePointer<UInt32>?, count: Int, error: UnsafeMutablePointer<Int32>?
) -> Int32 {
    guard let userData, let context, let entries,
        String(cString: context) == NBDConnection.allocationContext
    else { return 0 }
    let collector = Unmanaged<ExtentCollector>.fromOpaque(userData).takeUnretainedValue()
    collector.append(offset: offset, entries: UnsafeBufferPointer(start: entries, count: count))
    return 0
}
