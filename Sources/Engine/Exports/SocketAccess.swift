import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who may connect to an export's socket: its owner and its group, the group `vmbackup` when it
/// exists (as for the API's socket), so that the members who may use the CLI may read the exports
/// it starts.
struct SocketAccess: Sendable {
    /// Who may connect: the owner and the socket's group.
    static let permissions: mode_t = 0o660

    /// The group to give the sockets to; nil keeps the daemon's own.
    var groupName: String?

    /// Makes `path` mode 0660 and gives it to ``groupName`` when that group exists. Throws a
    /// description of what failed.
    func restrict(_ path: String) throws(SocketAccessFailure) {
        if let groupName, let groupID = Self.groupID(named: groupName), chown(path, uid_t.max, groupID) != 0 {
            throw SocketAccessFailure(description: "cannot give \(path) to group \(groupName): errno \(errno)")
        }
        guard chmod(path, Self.permissions) == 0 else {
            throw SocketAccessFailure(description: "cannot chmod \(path): errno \(errno)")
        }
    }

    /// The id of the group `name`, or nil when there is no such group.
    static func groupID(named name: String) -> gid_t? {
        guard !name.isEmpty else { return nil }
        var entry = group()
        var found: UnsafeMutablePointer<group>?
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
}

struct SocketAccessFailure: Error, CustomStringConvertible {
    var description: String
}
