import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reflink copies: a new file sharing the source's extents (`ioctl(FICLONE)`), made in constant
/// time whatever the file's size; later writes to either file do not show in the other.
public enum FileClone {
    /// `FICLONE`, `_IOW(0x94, 9, int)` in `linux/fs.h`.
    static let ficlone: UInt = 0x4004_9409
    /// The filesystems whose files can share extents.
    static let cloningFilesystems: Set<String> = ["xfs", "btrfs"]

    /// Whether `path` lives on a filesystem that can clone files: XFS or btrfs. (An XFS made
    /// without reflink still refuses, which `clone` reports.)
    public static func mayClone(_ path: String) -> Bool {
        guard let type = filesystemType(of: path) else { return false }
        return cloningFilesystems.contains(type)
    }

    /// The type of the filesystem holding `path` (`xfs`, `ext4`, ...): that of the deepest mount
    /// point above it in `/proc/self/mountinfo`.
    static func filesystemType(of path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        let real = String(cString: resolved)
        free(resolved)
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        return filesystemType(of: real, mountInfo: table)
    }

    /// The filesystem type of the deepest mount above `path` in a mountinfo table.
    static func filesystemType(of path: String, mountInfo: String) -> String? {
        var best: (mountPoint: String, type: String)?
        for line in mountInfo.split(separator: "\n") {
            // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
            let halves = line.components(separatedBy: " - ")
            guard halves.count >= 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[halves.count - 1].split(separator: " ")
            guard fields.count >= 5, let type = tail.first else { continue }
            let mountPoint = unescape(String(fields[4]))
            let inside = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if inside, mountPoint.count >= (best?.mountPoint.count ?? -1) {
                best = (mountPoint, String(type))
            }
        }
        return best?.type
    }

    /// mountinfo writes space, tab, newline and backslash as octal escapes (`\040`).
    private static func unescape(_ field: String) -> String {
        var result = ""
        var rest = Substring(field)
        while let slash = rest.firstIndex(of: "\\") {
            result += rest[..<slash]
            let code = rest[rest.index(after: slash)...].prefix(3)
            if code.count == 3, let value = UInt8(code, radix: 8) {
                result.append(Character(UnicodeScalar(value)))
                rest = rest[rest.index(slash, offsetBy: 4)...]
            } else {
                result.append("\\")
                rest = rest[rest.index(after: slash)...]
            }
        }
        return result + rest
    }

    /// Creates `destination` (mode 0600, which must not exist) as a clone of `source`.
    public static func clone(_ source: String, to destination: String) throws(FileCloneError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileCloneError(operation: "open", path: source, code: errno) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw FileCloneError(operation: "create", path: destination, code: errno) }
        if ioctl(output, ficlone, input) != 0 {
            let code = errno
            close(output)
            unlink(destination)
            throw FileCloneError(operation: "clone \(source) to", path: destination, code: code)
        }
        guard fsync(output) == 0 else {
            let code = errno
            close(output)
            unlink(destination)
            throw FileCloneError(operation: "fsync", path: destination, code: code)
        }
        close(output)
    }
}

/// A reflink copy that failed: the operation, the path and errno's text, with a hint where one helps.
public struct FileCloneError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public var description: String {
        var text = "\(operation) \(path): \(String(cString: strerror(code)))"
        if code == EOPNOTSUPP || code == EINVAL {
            text += " (the filesystem cannot share extents; an XFS must be made with mkfs.xfs -m reflink=1)"
        } else if code == EXDEV {
            text += " (the copy must be on the same filesystem)"
        }
        return text
    }
}
