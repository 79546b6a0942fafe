import CNBD

/// A failed libnbd call: which call, libnbd's message and errno.
///
/// Built on the failing thread right after the call, because `nbd_get_error` and `nbd_get_errno`
/// keep the last error per thread.
public struct NBDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libnbd function that failed, e.g. `nbd_pread`.
    public var call: String
    /// The message of `nbd_get_error`, or a description when there is none.
    public var message: String
    /// The value of `nbd_get_errno`; 0 when libnbd set none.
    public var errno: Int32

    public init(call: String, message: String, errno: Int32) {
        self.call = call
        self.message = message
        self.errno = errno
    }

    /// Reads the calling thread's last libnbd error. Wraps `nbd_get_error` and `nbd_get_errno`.
    static func last(_ call: String) -> NBDError {
        let errno = nbd_get_errno()
        let message = nbd_get_error().map { String(cString: $0) } ?? "\(call) failed"
        return NBDError(call: call, message: message, errno: errno)
    }

    public var description: String {
        // libnbd's messages already start with the call's name ("nbd_pread: ...").
        message.hasPrefix(call) ? message : "\(call): \(message)"
    }
}
