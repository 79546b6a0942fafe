import CNBD

extension NBDConnection {
    /// Connects to an NBD server that is already listening on a Unix socket (QEMU's, during a
    /// pull-mode backup) and opens the export `exportName`.
    ///
    /// Asks for the `base:allocation` meta context and, with `dirtyBitmap`, for
    /// `qemu:dirty-bitmap:<dirtyBitmap>` too, before connecting. A server that does not offer the
    /// bitmap (a wrong name, a full backup's export) is refused here, so that a reader never
    /// mistakes "no dirty extents known" for "nothing changed". Closing the connection leaves the
    /// server running. Wraps `nbd_create`, `nbd_set_export_name`, `nbd_add_meta_context`,
    /// `nbd_connect_unix`, `nbd_can_meta_context` and `nbd_get_size`.
    public convenience init(unixSocket path: String, exportName: String, dirtyBitmap: String? = nil) throws(NBDError) {
        guard let handle = nbd_create() else { throw NBDError.last("nbd_create") }
        let bitmapContext = dirtyBitmap.map(NBDConnection.dirtyBitmapContext(bitmap:))
        do throws(NBDError) {
            guard nbd_set_export_name(handle, exportName) != -1 else { throw NBDError.last("nbd_set_export_name") }
            for context in [NBDConnection.allocationContext] + (bitmapContext.map { [$0] } ?? []) {
                guard nbd_add_meta_context(handle, context) != -1 else { throw NBDError.last("nbd_add_meta_context") }
            }
            guard nbd_connect_unix(handle, path) != -1 else { throw NBDError.last("nbd_connect_unix") }
            if let bitmapContext, nbd_can_meta_context(handle, bitmapContext) != 1 {
                throw NBDError(
                    call: "nbd_can_meta_context",
                    message: "the export \(exportName) on \(path) does not offer \(bitmapContext)", errno: 0)
            }
        } catch {
            nbd_close(handle)
            throw error
        }
        try self.init(connected: handle, dirtyBitmapContext: bitmapContext)
    }
}
