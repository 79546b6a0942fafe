import Crypto
import NBD

/// The blocking copy loop: reads the source's guest-visible content in chunks, writes only its
/// non-zero data, and has all of it hashed on a second thread. Runs on threads of its own, never
/// on Swift's cooperative pool.
struct ContentCopier {
    /// Why the loop stopped early.
    enum Failure: Error {
        case cancelled
        case failed(StreamError.Step, NBDError)
    }

    /// Zero detection works in blocks of the destination's cluster size (qcow2's default).
    static let zeroGranularity = 64 << 10

    /// Data buffers in flight between the copy thread and the hashing thread.
    static let bufferCount = 8
    /// Windows in flight: how far ahead of the hashing the copy thread may run through zeros.
    static let windowCount = 1024

    let source: NBDConnection
    let destination: NBDConnection
    let chunkSize: Int
    let zeros: ZeroBuffer
    let cancellation: CancellationFlag
    let progress: @Sendable (UInt64) -> Void
    /// Starts a closure on a second thread; the hashing runs there.
    let startThread: (@escaping @Sendable () -> Void) -> Void

    /// Copies everything, flushes the destination and returns the data bytes written and the
    /// lowercase hex SHA-256 of the whole content.
    func run() throws(Failure) -> (storedBytes: UInt64, sha256: String) {
        let hasher = PipelinedHasher(
            buffers: Self.bufferCount, bufferSize: chunkSize, windows: Self.windowCount, zeros: zeros,
            progress: progress)
        startThread { hasher.run() }
        let storedBytes: UInt64
        do {
            storedBytes = try copyWindows(to: hasher)
        } catch {
            _ = hasher.finish()
            throw error
        }
        // The flush overlaps with hashing the last windows.
        let flushed = Result { () throws(NBDError) in try destination.flush() }
        let sha256 = hasher.finish()
        if case .failure(let error) = flushed { throw .failed(.flushing, error) }
        return (storedBytes, sha256)
    }

    /// Reads the content window by window, writes its non-zero blocks and hands every window to
    /// `hasher`. Returns the data bytes written.
    private func copyWindows(to hasher: PipelinedHasher) throws(Failure) -> UInt64 {
        var cursor = ExtentCursor(connection: source)
        var storedBytes: UInt64 = 0
        var position: UInt64 = 0
        let size = source.size
        while position < size {
            if cancellation.isCancelled { throw .cancelled }
            let end = min(position + UInt64(chunkSize), size)
            let extents: [Extent]
            do { extents = try cursor.extents(covering: position..<end) } catch { throw .failed(.reading, error) }
            let data = extents.filter { !$0.isZero }
            var window = PipelinedHasher.Window(end: end)
            if let first = data.first, let last = data.last {
                window.leadingZeros = Int(first.offset - position)
                window.data = Int(last.end - first.offset)
                window.trailingZeros = Int(end - last.end)
                let span = UnsafeMutableRawBufferPointer(rebasing: hasher.nextBuffer()[0..<window.data])
                storedBytes += try copy(span, from: first.offset)
            } else {
                window.leadingZeros = Int(end - position)
            }
            hasher.publish(window)
            position = end
        }
        return storedBytes
    }

    /// Reads `span.count` bytes at `offset` into `span`, writes their non-zero blocks and returns
    /// how many bytes it wrote.
    private func copy(_ span: UnsafeMutableRawBufferPointer, from offset: UInt64) throws(Failure) -> UInt64 {
        do { try source.pread(into: span, offset: offset) } catch { throw .failed(.reading, error) }
        let bytes = UnsafeRawBufferPointer(span)
        var written: UInt64 = 0
        for run in NonZeroRuns.find(in: bytes, at: offset, granularity: Self.zeroGranularity, zeros: zeros) {
            let data = UnsafeRawBufferPointer(rebasing: bytes[run])
            do {
                try destination.pwrite(data, offset: offset + UInt64(run.lowerBound))
            } catch {
                throw .failed(.writing, error)
            }
            written += UInt64(run.count)
        }
        return written
    }
}

extension SHA256.Digest {
    /// The digest as lowercase hexadecimal, as `sha256sum` prints it.
    var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(SHA256.byteCount * 2)
        for byte in self {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
