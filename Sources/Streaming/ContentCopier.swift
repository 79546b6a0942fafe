import Crypto
import NBD
import Synchronization
import Targets

/// The blocking copy: one thread reads the source's guest-visible content window by window, a
/// second hashes it in order, a third writes its non-zero data (when there is a destination: a
/// verify only reads and hashes). Runs on threads of its own, never on Swift's cooperative pool.
struct ContentCopier {
    /// Why the copy stopped early.
    enum Failure: Error {
        case cancelled
        case failed(StreamError.Step, NBDError)
    }

    /// Zero detection works in blocks of the destination's cluster size (qcow2's default).
    static let zeroGranularity = 64 << 10
    /// Data buffers in flight between the reader and the consumers.
    static let bufferCount = 8
    /// Windows in flight: how far ahead of hashing the reader may run through zeros.
    static let windowCount = 1024
    /// The threads `startThread` must provide besides the caller's.
    static let extraThreads = 2

    let source: NBDConnection
    /// Where the content goes; `nil` to read and hash only.
    let destination: NBDConnection?
    /// Whether the destination's zero ranges must be written (it may hold old data).
    let fillZeros: Bool
    let hashing: ContentHashing
    /// The parent's index, when only the chunks that differ from it are written.
    let parent: ChunkIndex?
    /// Whether the source's dirty bitmap says which windows to read: the others are the
    /// parent's, carried unread.
    var readsChangesOnly = false
    let chunkSize: Int
    let zeros: ZeroBuffer
    let cancellation: CancellationFlag
    let progress: @Sendable (UInt64) -> Void
    /// Starts a closure on another thread; called at most `extraThreads` times.
    let startThread: (@escaping @Sendable () -> Void) -> Void

    /// Copies everything, flushes the destination and returns the data bytes written and what
    /// hashing the content gave.
    func run() throws(Failure) -> (storedBytes: UInt64, readBytes: UInt64, digests: ContentDigests) {
        let consumers = destination == nil ? 1 : 2
        let ring = WindowRing(
            consumers: consumers, buffers: Self.bufferCount, bufferSize: chunkSize, windows: Self.windowCount)
        let verdicts = parent.map { parent in
            ChunkVerdicts(
                parent: parent,
                chunkCount: ChunkIndex(chunkSize: parent.chunkSize, virtualSize: source.size, entries: []).chunkCount)
        }
        let hashing = HashStage(
            zeros: zeros, hashing: hashing, verdicts: verdicts, parent: parent, progress: progress)
        let writing = destination.map { WriteStage(destination: $0, fillZeros: fillZeros, verdicts: verdicts) }
        let readAll = Mutex(false)
        startThread { hashing.run(ring, consumer: 0) }
        if let writing {
            startThread { writing.run(ring, consumer: 1, flushAtEnd: { readAll.withLock { $0 } }) }
        }

        let outcome = Result { () throws(Failure) -> UInt64 in try readWindows(into: ring, writing: writing) }
        if case .success = outcome { readAll.withLock { $0 = true } }
        ring.finish()
        let digests = hashing.wait()
        let storedBytes = writing?.wait() ?? 0
        if case .failure(let failure) = outcome, case .cancelled = failure { throw failure }
        if let (step, error) = writing?.failure { throw .failed(step, error) }
        if case .failure(let failure) = outcome { throw failure }
        return (storedBytes, (try? outcome.get()) ?? 0, digests)
    }

    /// Reads the content window by window into `ring`: only the span from a window's first to
    /// its last data byte is read; zero ranges around it are described, not read. When only
    /// changes are read, a window the dirty bitmap does not mark is carried, not read. Returns
    /// the bytes read.
    private func readWindows(into ring: WindowRing, writing: WriteStage?) throws(Failure) -> UInt64 {
        var cursor = ExtentCursor(connection: source)
        var position: UInt64 = 0
        var read: UInt64 = 0
        let size = source.size
        var dirty: [DirtyExtent] = []
        var dirtyIndex = 0
        if readsChangesOnly {
            do { dirty = try source.dirtyExtents(offset: 0, length: size) } catch { throw .failed(.reading, error) }
        }
        while position < size {
            if cancellation.isCancelled { throw .cancelled }
            if let (step, error) = writing?.failure { throw .failed(step, error) }
            let end = min(position + UInt64(chunkSize), size)
            if readsChangesOnly {
                while dirtyIndex < dirty.count, dirty[dirtyIndex].end <= position { dirtyIndex += 1 }
                if dirtyIndex == dirty.count || dirty[dirtyIndex].offset >= end {
                    ring.publish(WindowRing.Window(leadingZeros: Int(end - position), end: end, carried: true))
                    position = end
                    continue
                }
            }
            let extents: [Extent]
            do { extents = try cursor.extents(covering: position..<end) } catch { throw .failed(.reading, error) }
            let data = extents.filter { !$0.isZero }
            var window = WindowRing.Window(end: end)
            if let first = data.first, let last = data.last {
                window.leadingZeros = Int(first.offset - position)
                window.data = Int(last.end - first.offset)
                window.trailingZeros = Int(end - last.end)
                window.dataOffset = first.offset
                let span = UnsafeMutableRawBufferPointer(rebasing: ring.nextBuffer()[0..<window.data])
                do { try source.pread(into: span, offset: first.offset) } catch { throw .failed(.reading, error) }
                read += UInt64(window.data)
                window.nonZeroRuns = NonZeroRuns.find(
                    in: UnsafeRawBufferPointer(span), at: first.offset, granularity: Self.zeroGranularity, zeros: zeros)
            } else {
                window.leadingZeros = Int(end - position)
            }
            ring.publish(window)
            position = end
        }
        return read
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
