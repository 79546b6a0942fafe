/// A failed libbtrfsutil call: the function, the path, libbtrfsutil's error and the errno behind it.
public struct BtrfsError: Error, Sendable, CustomStringConvertible {
    /// libbtrfsutil's `enum btrfs_util_error`.
    public var code: UInt32
    /// `btrfs_util_strerror(code)`, e.g. "Could not create subvolume".
    public var message: String
    /// The errno the failing system call left, 0 if none.
    public var errno: Int32
    /// The C function that failed, e.g. `btrfs_util_create_snapshot`.
    public var call: String
    public var path: String

    public init(code: UInt32, message: String, errno: Int32, call: String, path: String) {
        self.code = code
        self.message = message
        self.errno = errno
        self.call = call
        self.path = path
    }

    public var description: String {
        let cause = errno == 0 ? "" : ": \(BtrfsUtil.systemMessage(errno))"
        return "\(call) \(path): \(message)\(cause)"
    }
}
