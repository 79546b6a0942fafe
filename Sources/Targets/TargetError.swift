#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure of the backup target: what was attempted, on which path, and why (the errno text
/// for a failed system call).
public struct TargetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was attempted, as a verb phrase: `create folder`, `fsync`, `read manifest of`.
    public var operation: String
    public var path: String
    /// The errno of the failed system call; `nil` when the failure is not one.
    public var errno: Int32?
    /// The errno text, or what was wrong.
    public var reason: String

    public init(_ operation: String, path: String, errno: Int32? = nil, reason: String) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    /// A failed system call; `code` is its errno.
    static func system(_ operation: String, path: String, code: Int32) -> TargetError {
        TargetError(operation, path: path, errno: code, reason: String(cString: strerror(code)))
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
