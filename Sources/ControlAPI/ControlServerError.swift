#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the API server cannot listen on its socket.
public struct ControlServerError: Error, CustomStringConvertible, Sendable {
    /// The socket path concerned.
    public var path: String
    /// One line: what failed and why.
    public var message: String

    public var description: String { "\(path): \(message)" }

    static func alreadyServed(_ path: String) -> ControlServerError {
        ControlServerError(path: path, message: "another vmbackupd is already listening on this socket")
    }

    static func notASocket(_ path: String) -> ControlServerError {
        ControlServerError(path: path, message: "exists and is not a socket; refusing to replace it")
    }

    static func system(_ path: String, _ operation: String, errno code: Int32) -> ControlServerError {
        ControlServerError(path: path, message: "\(operation) failed: \(String(cString: strerror(code)))")
    }
}
