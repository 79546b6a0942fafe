import Crypto
import NBD

/// The blocking copy loop: reads the source's guest-visible content in chunks, hashes all of it,
/// and writes only its non-zero data. Runs on a dedicated thread, never on Swift's cooperative pool.
struct ContentCopier {
    /// Why the loop stopped early.
    enum Failure: Error {
        case cancelled
        case failed(StreamError.Step, NBDError)
    }

    /// Zero detection works in blocks of the destination's cluster size (qcow2's default).
    static let zeroGranularity = 64 << 10

    let source: NBDConnection
    let destination: NBDConnection
    let chunkSize: Int
    let zeros: ZeroBuffer
    let cancellation: CancellationFlag
    let progress: @Sendable (UInt64) -> Void

    /// Copies everything, flushes the destination and returns the data bytes written and the
    /// lowercase hex SHA-256 of the whole content.
    func run() throws(Failure) -> (storedBytes: UInt64, sha256: String) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 4096)
        defer { buffer.deallocate() }
        var hasher = SHA256()
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
            if let first = data.first, let last = data.last {
                hasher.update(bufferPointer: zeros.prefix(Int(first.offset - position)))
                let span = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(last.end - first.offset)])
                storedBytes += try copy(into: span, from: first.offset, hasher: &hasher)
                hasher.update(bufferPointer: zeros.prefix(Int(end - last.end)))
            } else {
                hasher.update(bufferPointer: zeros.prefix(Int(end - position)))
            }
            position = end
            progress(position)
        }
        do { try destination.flush() } catch { throw .failed(.flushing, error) }
        return (storedBytes, hasher.finalize().lowercaseHex)
    }

    /// Reads `span.count` bytes at `offset`, hashes them, writes their non-zero blocks and returns
    /// how many bytes it wrote.
    private func copy(
        into span: UnsafeMutableRawBufferPointer, from offset: UInt64, hasher: inout SHA256
    ) throws(Failure) -> UInt64 {
        do { try source.pread(into: span, offset: offset) } catch { throw .failed(.reading, error) }
        let bytes = UnsafeRawBufferPointer(span)
        hasher.update(bufferPointer: bytes)
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
