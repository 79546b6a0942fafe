import CNBD

extension NBDConnection {
    /// Reads `buffer.count` bytes at `offset` into `buffer`. Wraps `nbd_pread`.
    public func pread(into buffer: UnsafeMutableRawBufferPointer, offset: UInt64) throws(NBDError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        guard nbd_pread(handle, base, buffer.count, offset, 0) != -1 else { throw NBDError.last("nbd_pread") }
    }

    /// Writes `buffer` at `offset`. Wraps `nbd_pwrite`.
    public func pwrite(_ buffer: UnsafeRawBufferPointer, offset: UInt64) throws(NBDError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        guard nbd_pwrite(handle, base, buffer.count, offset, 0) != -1 else { throw NBDError.last("nbd_pwrite") }
    }

    /// Makes `length` bytes at `offset` read as zeros, letting the server punch a hole.
    /// Wraps `nbd_zero`.
    public func zero(offset: UInt64, length: UInt64) throws(NBDError) {
        guard length > 0 else { return }
        guard nbd_zero(handle, length, offset, 0) != -1 else { throw NBDError.last("nbd_zero") }
    }
}
