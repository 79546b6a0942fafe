import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Unix socket file the API listens on.
///
/// The socket is made mode 0660. When the group ``accessGroup`` (`vmbackup`) exists, the socket
/// belongs to it, so that its members may use the API without root; otherwise it keeps the
/// daemon's own group. When the socket lies directly in the runtime directory the service manager
/// created for the daemon (`RuntimeDirectory=`, announced in `$RUNTIME_DIRECTORY`), that directory
/// is given the same group, so the group can reach the socket through it.
struct SocketFile {
    let path: String
    /// The group whose members may connect; nil leaves the group alone.
    let accessGroup: String?
    /// The directories the service manager created for the daemon.
    let runtimeDirectories: [String]

    /// Who may connect: the owner and the socket's group.
    static let permissions: mode_t = 0o660

    /// The group that may use the API without root.
    static let defaultAccessGroup = "vmbackup"

    init(
        path: String, accessGroup: String? = SocketFile.defaultAccessGroup,
        runtimeDirectories: [String] = SocketFile.serviceRuntimeDirectories()
    ) {
        self.path = path
        self.accessGroup = accessGroup
        self.runtimeDirectories = runtimeDirectories
    }

    /// `$RUNTIME_DIRECTORY`: the runtime directories systemd created for the service, colon-separated.
    static func serviceRuntimeDirectories(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        guard let value = environment["RUNTIME_DIRECTORY"] else { return [] }
        return value.split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
    }

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

    /// Gives the socket to ``accessGroup`` when that group exists (and its directory too, when
    /// that is the service's runtime directory), and sets the socket's mode to ``permissions``.
    ///
    /// The mode is set even when changing the group fails; that failure is thrown afterwards.
    func restrictPermissions() throws(ControlServerError) {
        var groupFailure: ControlServerError?
        if let accessGroup, let groupID = Self.groupID(named: accessGroup) {
            do {
                try Self.changeGroup(of: path, to: groupID, named: accessGroup)
                if let directory = runtimeDirectoryHoldingSocket {
                    try Self.changeGroup(of: directory, to: groupID, named: accessGroup)
                }
            } catch {
                groupFailure = error
            }
        }
        guard chmod(path, Self.permissions) == 0 else { throw .system(path, "chmod", errno: errno) }
        if let groupFailure { throw groupFailure }
    }

    /// The socket's directory, when it is one of ``runtimeDirectories``.
    var runtimeDirectoryHoldingSocket: String? {
        let parent = Self.normalized((path as NSString).deletingLastPathComponent)
        return runtimeDirectories.first { Self.normalized($0) == parent }
    }

    /// The id of the group `name`, or nil when there is no such group.
    static func groupID(named name: String) -> gid_t? {
        guard !name.isEmpty else { return nil }
        var entry = Self.GroupEntry()
        var found: UnsafeMutablePointer<Self.GroupEntry>?
        var size = max(sysconf(Int32(_SC_GETGR_R_SIZE_MAX)), 1024)
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let code = getgrnam_r(name, &entry, &buffer, buffer.count, &found)
            if code == ERANGE && size < 1 << 20 {
                size *= 2
                continue
            }
            guard code == 0, found != nil else { return nil }
            return entry.gr_gid
        }
    }

    #if canImport(Glibc)
        private typealias GroupEntry = Glibc.group
    #elseif canImport(Darwin)
        private typealias GroupEntry = Darwin.group
    #endif

    /// Changes the group of `path`, keeping its owner.
    private static func changeGroup(of path: String, to groupID: gid_t, named name: String) throws(ControlServerError) {
        guard chown(path, uid_t.max, groupID) == 0 else {
            throw .system(path, "changing the group to \(name)", errno: errno)
        }
    }

    private static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
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
