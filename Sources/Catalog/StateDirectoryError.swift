/// Why the state directory cannot be used, as one line for the operator.
public enum StateDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process holds the lock; `pid` is the one the file records, if any.
    case held(path: String, pid: Int32?)
    /// A file of the state directory (the lock, the daemon id) could not be opened, locked,
    /// read or written.
    case unusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path, let pid):
            let holder = pid.map { "another vmbackupd (pid \($0))" } ?? "another vmbackupd"
            return "\(holder) holds the lock \(path) on this state directory; nothing was changed"
        case .unusable(let path, let reason):
            return "cannot use \(path) in the state directory: \(reason)"
        }
    }
}
