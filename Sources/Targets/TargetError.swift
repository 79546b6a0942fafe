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
    /// The kind of failure, the same for every target, so that callers can tell a backup that is
    /// not there from one that could not be read.
    public enum Code: String, Sendable, Equatable {
        /// No such VM, backup or disk image on the target.
        case notFound
        /// The backup already exists (published, or begun by someone else).
        case alreadyExists
        /// The writer was used after its commit or abort.
        case writerClosed
        /// A name was refused (not a safe path component, or not what the backup holds).
        case invalid
        /// Any other failure of the storage below: a system call, a read, a write.
        case failed
    }

    public var code: Code
    /// What was attempted, as a verb phrase: `create folder`, `fsync`, `read manifest of`.
    public var operation: String
    public var path: String
    /// The errno of the failed system call; `nil` when the failure is not one.
    public var errno: Int32?
    /// The errno text, or what was wrong.
    public var reason: String

    /// `code` defaults to what `errno` says: `notFound` for `ENOENT`, `alreadyExists` for
    /// `EEXIST`, `failed` otherwise.
    public init(_ operation: String, path: String, errno: Int32? = nil, reason: String, code: Code? = nil) {
        self.code = code ?? (errno == ENOENT ? .notFound : errno == EEXIST ? .alreadyExists : .failed)
        self.operation = operation
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    /// A failed system call; `code` is its errno.
    static func system(_ operation: String, path: String, code: Int32) -> TargetError {
        TargetError(operation, path: path, errno: code, reason: String(cString: strerror(code)))
    }

    /// There is no backup `id` of VM `vmUUID` at `location`.
    public static func notFound(_ operation: String, _ location: String) -> TargetError {
        TargetError(operation, path: location, errno: ENOENT, reason: "no such backup")
    }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
