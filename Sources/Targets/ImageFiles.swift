import Blocking
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new file written chunk by chunk, then fsynced. Each call blocks: run it on an executor.
final class FileSink: Sendable {
    let path: String
    private let fd: Int32
    private let closed = Mutex(false)

    /// Creates the file at `path`, which must not exist. Wraps `open`.
    init(creating path: String) throws(TargetError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system("create", path: path, code: errno) }
        self.path = path
        self.fd = fd
    }

    /// Appends `bytes`. Wraps `write`, retrying on `EINTR` and short writes.
    func append(_ bytes: [UInt8]) throws(TargetError) {
        if let failure = bytes.withUnsafeBytes({ DurableFiles.writeAll(fd, $0) }) {
            throw .system("write", path: path, code: failure)
        }
    }

    /// Flushes the file to stable storage and closes it. Wraps `fsync` and `close`.
    func finish() throws(TargetError) {
        while fsync(fd) != 0 {
            guard errno == EINTR else { throw .system("fsync", path: path, code: errno) }
        }
        closeOnce()
    }

    private func closeOnce() {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed { close(fd) }
    }

    deinit { closeOnce() }
}

/// One pass over a file, chunk by chunk, each read on `executor`: the reading end of the
/// directory target's `readImage`. The file is opened at the first read and closed at its end
/// (or when the reader goes).
final class FileChunkReader: Sendable {
    private let path: String
    private let chunkSize: Int
    private let executor: BlockingExecutor
    /// The open file; `nil` before the first read, `-1` after the end.
    private let fd = Mutex<Int32?>(nil)

    init(path: String, chunkSize: Int = 4 << 20, executor: BlockingExecutor) {
        self.path = path
        self.chunkSize = chunkSize
        self.executor = executor
    }

    /// The next chunk, `nil` at the end of the file.
    func next() async throws -> [UInt8]? {
        try await executor.run { try self.readNow() }
    }

    private func readNow() throws(TargetError) -> [UInt8]? {
        try fd.withLock { (fd: inout Int32?) throws(TargetError) -> [UInt8]? in
            if fd == nil {
                let opened = open(path, O_RDONLY | O_CLOEXEC)
                guard opened >= 0 else { throw .system("open", path: path, code: errno) }
                fd = opened
            }
            guard let open = fd, open >= 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            var count = 0
            while count < chunkSize {
                let result = chunk.withUnsafeMutableBytes { read(open, $0.baseAddress! + count, chunkSize - count) }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw .system("read", path: path, code: errno)
                }
                if result == 0 { break }
                count += result
            }
            if count < chunkSize {
                close(open)
                fd = -1
            }
            guard count > 0 else { return nil }
            return Array(chunk.prefix(count))
        }
    }

    deinit {
        if let open = fd.withLock({ $0 }), open >= 0 { close(open) }
    }
}
