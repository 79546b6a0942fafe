import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Unix socket file the API listens on.
struct SocketFile {
    let path: String

    /// Who may connect: the owner and the socket's group.
    static let permissions: mode_t = 0o660

    /// Makes the path ready to bind: creates the parent directory (0755) when missing and removes
    /// a stale socket file left by a daemon that died.
    ///
    /// Refuses when another daemon still answers on the socket, or when the path is something
    /// other than a socket.
    func prepareForBinding() throws(ControlServerError) {
        try createParentDirectory()
        switch try probe() {
        case .absent:
            return
        case .answering:
            throw .alreadyServed(path)
        case .notASocket:
            throw .notASocket(path)
        case .stale:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw .system(path, "removing the stale socket", errno: errno)
            }
        }
    }

    /// Sets the socket's mode to ``permissions``; wraps `chmod`.
    func restrictPermissions() throws(ControlServerError) {
        guard chmod(path, Self.permissions) == 0 else { throw .system(path, "chmod", errno: errno) }
    }

    private func createParentDirectory() throws(ControlServerError) {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            throw ControlServerError(path: parent, message: "cannot create the socket's directory: \(error)")
        }
    }

    enum State {
        case absent, answering, stale, notASocket
    }

    /// What is at the path now: nothing, a socket a daemon answers on, a socket nobody answers on,
    /// or something else.
    func probe() throws(ControlServerError) -> State {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .absent }
            throw .system(path, "lstat", errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { return .notASocket }
        return try isAnswering() ? .answering : .stale
    }

    /// Tries to connect without blocking: a daemon that accepts, or whose backlog is full, is alive.
    private func isAnswering() throws(ControlServerError) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw .system(path, "socket", errno: errno) }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8) + [0]
        guard pathBytes.count <= MemoryLayout.size(ofValue: address.sun_path) else {
            throw ControlServerError(path: path, message: "socket path is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return true }
        switch errno {
        case ECONNREFUSED, ENOENT: return false
        case EAGAIN, EINPROGRESS: return true
        case let code: throw .system(path, "connecting to the existing socket", errno: code)
        }
    }
}
