import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a child's standard error goes: an unlinked temporary file, whose last few KiB are read
/// when the child's end is explained.
///
/// A file, not a pipe read through `FileHandle.readabilityHandler`: tearing that handler's
/// dispatch read source down races the descriptor's close in libdispatch on Linux and can crash
/// the whole daemon (swift-corelibs-libdispatch#949). A file needs no reader while the child runs
/// and cannot fill up and block it.
final class OutputTail: Sendable {
    private static let limit = 4096
    private let descriptor: Int32

    /// Opens the file, unlinked at once: nothing stays behind, whatever happens next.
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/vmbackupd-stderr.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The handle to give the child as its standard error; the file stays open until this tail
    /// goes.
    var handle: FileHandle { FileHandle(fileDescriptor: descriptor, closeOnDealloc: false) }

    /// The last line that holds something other than blanks.
    var lastLine: String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let start = max(0, Int(info.st_size) - Self.limit)
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size) - start)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(start)) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last { !$0.isEmpty }
    }
}
