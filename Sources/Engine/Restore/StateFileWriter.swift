import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes a restored state file (the UEFI NVRAM): a new one exclusively, never over a file that
/// exists, or the domain's own replaced atomically (a scratch file renamed over it).
enum StateFileWriter {
    static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws {
        let scratch = replacing ? path + ".vmbackup-restore" : path
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replacing ? O_TRUNC : O_EXCL)
        let fd = open(scratch, flags, 0o600)
        guard fd >= 0 else { throw POSIXFailure("create \(scratch)", errno) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure("write \(scratch)", errno)
            }
            written += count
        }
        guard fsync(fd) == 0 else { throw POSIXFailure("fsync \(scratch)", errno) }
        if replacing {
            guard rename(scratch, path) == 0 else { throw POSIXFailure("rename \(scratch) to \(path)", errno) }
        }
    }

    struct POSIXFailure: Error, CustomStringConvertible {
        var description: String
        init(_ operation: String, _ code: Int32) {
            description = "cannot \(operation): \(String(cString: strerror(code)))"
        }
    }
}
