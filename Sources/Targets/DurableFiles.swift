import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file operations the directory target (and a restore's state files) need, each
/// reporting errno as a `TargetError` and retrying on `EINTR`.
public enum DurableFiles {
    /// Mode of the folders the target creates: backups hold whole disks, so only the owner reads.
    static let folderMode: mode_t = 0o700

    /// Creates the folder at `path`. Wraps `mkdir`; `EEXIST` is an error unless `existingIsFine`.
    static func makeFolder(_ path: String, existingIsFine: Bool) throws(TargetError) {
        guard mkdir(path, folderMode) != 0 else { return }
        let code = errno
        if code == EEXIST, existingIsFine, isFolder(path) { return }
        throw .system("create folder", path: path, code: code)
    }

    /// Creates `path` and every missing folder above it.
    static func makeFolders(_ path: String) throws(TargetError) {
        guard !isFolder(path) else { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeFolders(parent) }
        try makeFolder(path, existingIsFine: true)
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Writes every byte of `buffer` to `fd`, retrying on `EINTR` and short writes; returns the
    /// errno of a failure, or `nil`.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < buffer.count {
            let result = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += result
        }
        return nil
    }

    /// Writes `data` to a new file at `path` (replacing any) and fsyncs it. Wraps `open`, `write`,
    /// `fsync` and `close`.
    static func writeFile(_ data: Data, to path: String) throws(TargetError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system("create", path: path, code: errno) }
        defer { close(fd) }
        if let code = data.withUnsafeBytes({ writeAll(fd, $0) }) { throw .system("write", path: path, code: code) }
        guard fsync(fd) == 0 else { throw .system("fsync", path: path, code: errno) }
    }

    /// Writes `bytes` to a new file at `path`, which must not exist, and fsyncs it; removes what it
    /// wrote when it fails. For files the daemon writes outside a target (a restored NVRAM).
    public static func writeNew(_ bytes: [UInt8], to path: String) throws(TargetError) {
        let file = try FileSink(creating: path)
        do {
            try file.append(bytes)
            try file.finish()
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Replaces the file at `path` with `bytes` atomically: a scratch file beside it, fsynced, then
    /// renamed over it. A reader sees the old file or the new one, never a mix.
    public static func writeReplacing(_ bytes: [UInt8], at path: String) throws(TargetError) {
        let scratch = path + ".vmbackup-new"
        try writeFile(Data(bytes), to: scratch)
        try replace(scratch, with: path)
    }

    /// Flushes the file or folder at `path` to stable storage. Wraps `open` and `fsync`.
    static func sync(_ path: String) throws(TargetError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("open", path: path, code: errno) }
        defer { close(fd) }
        while fsync(fd) != 0 {
            guard errno == EINTR else { throw .system("fsync", path: path, code: errno) }
        }
    }

    /// Renames `source` to `destination`, refusing to replace anything there. Wraps `rename`.
    static func move(_ source: String, to destination: String) throws(TargetError) {
        guard !exists(destination) else {
            throw TargetError("publish", path: destination, errno: EEXIST, reason: "it already exists")
        }
        guard rename(source, destination) == 0 else { throw .system("rename", path: source, code: errno) }
    }

    /// Renames `source` over `destination`, replacing it atomically. Wraps `rename`.
    static func replace(_ source: String, with destination: String) throws(TargetError) {
        guard rename(source, destination) == 0 else { throw .system("rename", path: source, code: errno) }
    }

    /// The names in the folder at `path`, without `.` and `..`.
    static func names(in path: String) throws(TargetError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            throw TargetError("list", path: path, errno: code.map(Int32.init), reason: error.localizedDescription)
        }
    }
}
