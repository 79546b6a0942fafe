#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive lock one daemon holds on its state directory (`<state_dir>/vmbackupd.lock`)
/// for as long as it runs: a second daemon on the same state directory, whatever its socket,
/// finds it taken and stops before it opens the catalog, recovers, sweeps a target or touches
/// a socket.
///
/// The lock is `flock(LOCK_EX | LOCK_NB)` on an open file description, so it is released when
/// the holder closes it, exits or dies, and a second lock of the same file fails even within
/// one process. The file descriptor is close-on-exec: the tools the daemon starts (qemu-nbd,
/// qemu-img) do not inherit the lock. The file records the holder's pid, for the message the
/// next daemon prints; the lock itself, not the file, is what counts.
public final class StateDirectoryLock: Sendable {
    /// The name of the lock file inside the state directory.
    public static let fileName = "vmbackupd.lock"

    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock on the state directory `directory`, which must exist; never waits.
    ///
    /// Throws ``StateDirectoryError`` when another process holds it (naming its pid when the
    /// file records one) or when the file cannot be opened. Wraps `open`, `flock` and `write`.
    public init(directory: String) throws(StateDirectoryError) {
        let path = directory + "/" + Self.fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw .unusable(path: path, reason: Self.text(errno)) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = Self.recordedPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK { throw .held(path: path, pid: holder) }
            throw .unusable(path: path, reason: Self.text(code))
        }
        self.path = path
        self.descriptor = descriptor
        Self.record(getpid(), in: descriptor)
    }

    /// Releases the lock.
    deinit {
        close(descriptor)
    }

    /// Writes `pid` as the file's only line. A failure only loses the hint in the next message.
    private static func record(_ pid: pid_t, in descriptor: Int32) {
        let line = Array("\(pid)\n".utf8)
        guard ftruncate(descriptor, 0) == 0 else { return }
        _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The pid the holder wrote into the file, if it is there.
    private static func recordedPID(_ descriptor: Int32) -> pid_t? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return pid_t(text.split(separator: "\n").first.map(String.init) ?? "")
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
