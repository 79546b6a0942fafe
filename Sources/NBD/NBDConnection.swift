import CNBD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connection to an NBD server: one that libnbd starts itself and talks to over a socket pair
/// (`init(command:)`), or one already listening on a Unix socket, such as QEMU's during a
/// pull-mode backup (`init(unixSocket:exportName:dirtyBitmap:)`).
///
/// Owns one `struct nbd_handle *`, freed with `nbd_close` in `deinit`, which also waits for a
/// server process libnbd started to exit. Every call blocks the calling thread: use it from a
/// thread pool, never from Swift's cooperative pool. libnbd locks the handle itself, so it may be
/// shared between threads.
public final class NBDConnection: @unchecked Sendable {
    /// The meta context whose extents `blockStatus(offset:length:)` reports.
    public static let allocationContext = "base:allocation"

    let handle: OpaquePointer

    /// The export's size in bytes, read once after connecting. Wraps `nbd_get_size`.
    public let size: UInt64

    /// The `qemu:dirty-bitmap:<bitmap>` meta context asked for when connecting, whose extents
    /// `dirtyExtents(offset:length:)` reports; `nil` when none was asked.
    public let dirtyBitmapContext: String?

    /// Starts `argv` (e.g. `["qemu-nbd", "--read-only", "--format=qcow2", path]`) with a listening
    /// socket handed over by systemd socket activation, and connects to it.
    ///
    /// Requests the `base:allocation` meta context before connecting, and the dirty bitmap
    /// `dirtyBitmap` exports (`qemu-nbd --bitmap=NAME`), when given. Wraps `nbd_create`,
    /// `nbd_add_meta_context`, `nbd_connect_systemd_socket_activation` and `nbd_get_size`.
    public convenience init(command argv: [String], dirtyBitmap: String? = nil) throws(NBDError) {
        guard !argv.isEmpty else {
            throw NBDError(call: "nbd_connect_systemd_socket_activation", message: "empty command", errno: 0)
        }
        guard let handle = nbd_create() else { throw NBDError.last("nbd_create") }
        let bitmapContext = dirtyBitmap.map { Self.dirtyBitmapContext(bitmap: $0) }
        for context in [Self.allocationContext] + (bitmapContext.map { [$0] } ?? []) {
            guard nbd_add_meta_context(handle, context) != -1 else {
                let error = NBDError.last("nbd_add_meta_context")
                nbd_close(handle)
                throw error
            }
        }
        let connected = CStringArray(argv).withArgv { nbd_connect_systemd_socket_activation(handle, $0) }
        guard connected != -1 else {
            let error = NBDError.last("nbd_connect_systemd_socket_activation")
            nbd_close(handle)
            throw error
        }
        try self.init(connected: handle, dirtyBitmapContext: bitmapContext)
    }

    /// Takes ownership of a `handle` that is connected: it is closed with the returned object, or
    /// now if this throws. Wraps `nbd_get_size`.
    init(connected handle: OpaquePointer, dirtyBitmapContext: String?) throws(NBDError) {
        let size = nbd_get_size(handle)
        guard size >= 0 else {
            let error = NBDError.last("nbd_get_size")
            nbd_close(handle)
            throw error
        }
        self.handle = handle
        self.size = UInt64(size)
        self.dirtyBitmapContext = dirtyBitmapContext
    }

    deinit {
        nbd_close(handle)
    }

    /// Whether the server negotiated `base:allocation`, so that block status can be asked.
    /// Wraps `nbd_can_meta_context`.
    public var supportsBlockStatus: Bool {
        nbd_can_meta_context(handle, Self.allocationContext) == 1
    }

    /// Whether the export refuses writes. Wraps `nbd_is_read_only`.
    public var isReadOnly: Bool {
        nbd_is_read_only(handle) == 1
    }

    /// Writes everything the server holds in caches to stable storage. Wraps `nbd_flush`.
    public func flush() throws(NBDError) {
        guard nbd_flush(handle, 0) != -1 else { throw NBDError.last("nbd_flush") }
    }

    /// Asks the server to finish in-flight requests and disconnect; the server process then exits.
    /// Wraps `nbd_shutdown`.
    public func shutdown() throws(NBDError) {
        guard nbd_shutdown(handle, 0) != -1 else { throw NBDError.last("nbd_shutdown") }
    }
}

/// A NULL-terminated `char **` built from Swift strings, for the duration of one call.
private struct CStringArray {
    let strings: [String]

    init(_ strings: [String]) { self.strings = strings }

    func withArgv<R>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
