import CNBD

extension NBDConnection {
    /// The meta context under which QEMU exports the dirty bitmap `bitmap`, e.g.
    /// `qemu:dirty-bitmap:backup-vda` for the `exportbitmap` of a backup job's disk.
    public static func dirtyBitmapContext(bitmap: String) -> String {
        "qemu:dirty-bitmap:" + bitmap
    }

    /// Whether the server negotiated the dirty-bitmap context asked for when connecting.
    /// Wraps `nbd_can_meta_context`.
    public var supportsDirtyBitmap: Bool {
        guard let dirtyBitmapContext else { return false }
        return nbd_can_meta_context(handle, dirtyBitmapContext) == 1
    }

    /// The dirty runs of bytes from `offset` to `offset + length` (clipped to the export's size),
    /// in order, adjacent runs joined: the bytes written since the bitmap's checkpoint. Every byte
    /// outside them is clean, i.e. the same as at the checkpoint.
    ///
    /// Asks as many times as the server needs to describe the whole range, each request at most
    /// `maximumBlockStatusLength` long. Throws when the connection has no dirty-bitmap context or
    /// the server describes nothing of a request. Wraps `nbd_block_status` and reads the extents
    /// of the `qemu:dirty-bitmap:` context, whose flag bit 0 means dirty.
    public func dirtyExtents(offset: UInt64, length: UInt64) throws(NBDError) -> [DirtyExtent] {
        guard let context = dirtyBitmapContext else {
            throw NBDError(call: "nbd_block_status", message: "no dirty bitmap was asked for", errno: 0)
        }
        let end = min(size, offset + length)
        let collector = DirtyExtentCollector(context: context)
        var position = offset
        while position < end {
            let request = min(end - position, Self.maximumBlockStatusLength)
            collector.begin(start: position, end: position + request)
            let userData = Unmanaged.passUnretained(collector).toOpaque()
            let callback = nbd_extent_callback(callback: collectDirtyExtents, user_data: userData, free: nil)
            let result = withExtendedLifetime(collector) { nbd_block_status(handle, request, position, callback, 0) }
            guard result != -1 else { throw NBDError.last("nbd_block_status") }
            guard collector.describedEnd > position else {
                throw NBDError(
                    call: "nbd_block_status", message: "the server described no byte at \(position) of \(context)",
                    errno: 0)
            }
            position = collector.describedEnd
        }
        return collector.extents
    }
}

/// Accumulates the dirty runs that libnbd hands to the callback of `nbd_block_status` calls.
private final class DirtyExtentCollector {
    let context: String
    var end: UInt64 = 0
    /// The first byte after what the current request's reply described.
    var describedEnd: UInt64 = 0
    var extents: [DirtyExtent] = []

    init(context: String) {
        self.context = context
    }

    /// Gets ready for one request covering `start..<end`.
    func begin(start: UInt64, end: UInt64) {
        self.end = end
        describedEnd = start
    }

    /// Appends `(length, flags)` pairs that begin at `offset`, clipped to the requested range.
    func append(offset: UInt64, entries: UnsafeBufferPointer<UInt32>) {
        var position = offset
        var index = 0
        while index + 1 < entries.count, position < end {
            let length = min(UInt64(entries[index]), end - position)
            if length > 0, entries[index + 1] & 1 != 0 {
                if let last = extents.last, last.end == position {
                    extents[extents.count - 1].length += length
                } else {
                    extents.append(DirtyExtent(offset: position, length: length))
                }
            }
            position += length
            index += 2
        }
        describedEnd = max(describedEnd, position)
    }
}

/// The C callback of `nbd_block_status`: keeps the entries of the connection's dirty-bitmap context.
private func collectDirtyExtents(
    userData: UnsafeMutableRawPointer?, context: UnsafePointer<CChar>?, offset: UInt64,
    entries: UnsafeMutablePointer<UInt32>?, count: Int, error: UnsafeMutablePointer<Int32>?
) -> Int32 {
    guard let userData, let context, let entries else { return 0 }
    let collector = Unmanaged<DirtyExtentCollector>.fromOpaque(userData).takeUnretainedValue()
    guard String(cString: context) == collector.context else { return 0 }
    collector.append(offset: offset, entries: UnsafeBufferPointer(start: entries, count: count))
    return 0
}
