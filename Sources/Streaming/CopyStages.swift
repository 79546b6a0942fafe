import Crypto
import Dispatch
import NBD
import Synchronization
import Targets

/// How a stream hashes the content it reads.
public enum ContentHashing: Sendable, Equatable {
    /// A chunk index (format 2): each chunk that holds data, zero chunks neither hashed nor listed.
    case chunks(size: Int)
    /// One SHA-256 of the whole content, zeros included (format 1).
    case whole
}

/// What hashing the content gave: the chunk index's entries, or the whole content's digest.
struct ContentDigests: Sendable {
    var entries: [ChunkIndex.Entry]?
    var sha256: String?
}

/// The consumer that hashes the content in order, as `hashing` says, and reports progress.
final class HashStage: @unchecked Sendable {
    private let zeros: ZeroBuffer
    private let hashing: ContentHashing
    private let progress: @Sendable (UInt64) -> Void
    /// Where each chunk's verdict goes, when only changed chunks are written.
    private let verdicts: ChunkVerdicts?
    /// Where the digests of windows carried unread come from.
    private let parent: ChunkIndex?
    private let done = DispatchSemaphore(value: 0)
    /// Written by the hashing thread before it signals `done`.
    private var digests = ContentDigests()

    init(
        zeros: ZeroBuffer, hashing: ContentHashing, verdicts: ChunkVerdicts? = nil, parent: ChunkIndex? = nil,
        progress: @escaping @Sendable (UInt64) -> Void
    ) {
        self.parent = parent
        self.zeros = zeros
        self.hashing = hashing
        self.verdicts = verdicts
        self.progress = progress
    }

    /// Hashing thread: consumes every window of `ring` as consumer `consumer`.
    func run(_ ring: WindowRing, consumer: Int) {
        switch hashing {
        case .whole:
            var hasher = SHA256()
            ring.consume(consumer) { window, data in
                hasher.update(bufferPointer: zeros.prefix(window.leadingZeros))
                hasher.update(bufferPointer: data)
                hasher.update(bufferPointer: zeros.prefix(window.trailingZeros))
                progress(window.end)
            }
            digests.sha256 = hasher.finalize().lowercaseHex
        case .chunks(let size):
            var chunks = ChunkHasher(chunkSize: size, zeros: zeros)
            var firstUndecided = 0
            var parentCursor = 0
            ring.consume(consumer) { window, data in
                if window.carried, let parent {
                    chunks.carry(from: parent, through: window.end, cursor: &parentCursor)
                    verdicts?.decide(through: chunks.closedChunks, entries: chunks.entries, from: &firstUndecided)
                    progress(window.end)
                    return
                }
                chunks.zeros(UInt64(window.leadingZeros))
                var position = 0
                for run in window.nonZeroRuns {
                    chunks.zeros(UInt64(run.lowerBound - position))
                    chunks.data(UnsafeRawBufferPointer(rebasing: data[run]))
                    position = run.upperBound
                }
                chunks.zeros(UInt64(window.data - position))
                chunks.zeros(UInt64(window.trailingZeros))
                verdicts?.decide(through: chunks.closedChunks, entries: chunks.entries, from: &firstUndecided)
                progress(window.end)
            }
            let entries = chunks.finish()
            verdicts?.finish(entries: entries, from: &firstUndecided)
            digests.entries = entries
        }
        done.signal()
    }

    /// Waits for the hashing thread; returns what it computed.
    func wait() -> ContentDigests {
        done.wait()
        return digests
    }
}

/// The consumer that writes the non-zero runs of every window to the destination, then flushes
/// it. A destination that may hold old data (a disk restored in place) also gets its zero ranges
/// written as zeros (`NBD_CMD_WRITE_ZEROES`, coalesced). After the first failure it writes
/// nothing more but still consumes, so the reader never waits for it in vain.
final class WriteStage: @unchecked Sendable {
    /// The longest zero range asked for at once.
    static let zeroRequestLimit: UInt64 = 1 << 30

    private let destination: NBDConnection
    private let fillZeros: Bool
    /// When set, only the chunks it says changed are written, zeros included (the destination
    /// is an overlay on the parent's image).
    private let verdicts: ChunkVerdicts?
    private let done = DispatchSemaphore(value: 0)
    private let firstFailure = Mutex<(step: StreamError.Step, error: NBDError)?>(nil)
    /// Written by the writing thread before it signals `done`.
    private var storedBytes: UInt64 = 0
    /// Where the zeros not yet written start, when `fillZeros`.
    private var zerosFrom: UInt64?

    init(destination: NBDConnection, fillZeros: Bool, verdicts: ChunkVerdicts? = nil) {
        self.destination = destination
        self.fillZeros = fillZeros
        self.verdicts = verdicts
    }

    /// The first write or flush that failed, if any; the reader polls it to stop early.
    var failure: (step: StreamError.Step, error: NBDError)? { firstFailure.withLock { $0 } }

    /// Writing thread: consumes every window of `ring` as consumer `consumer`, then flushes the
    /// destination to stable storage.
    func run(_ ring: WindowRing, consumer: Int, flushAtEnd: () -> Bool) {
        var failed = false
        var end: UInt64 = 0
        ring.consume(consumer) { window, data in
            guard !failed else { return }
            do throws(NBDError) {
                let start = window.end - UInt64(window.leadingZeros + window.data + window.trailingZeros)
                if let verdicts {
                    for changed in verdicts.changedChunks(in: start..<window.end) {
                        try write(window, data, within: changed)
                    }
                    end = window.end
                    return
                }
                if zerosFrom == nil { zerosFrom = start }
                for run in window.nonZeroRuns {
                    let offset = window.dataOffset + UInt64(run.lowerBound)
                    try writeZeros(upTo: offset)
                    try destination.pwrite(UnsafeRawBufferPointer(rebasing: data[run]), offset: offset)
                    storedBytes += UInt64(run.count)
                    zerosFrom = offset + UInt64(run.count)
                }
                end = window.end
            } catch {
                firstFailure.withLock { $0 = (.writing, error) }
                failed = true
            }
        }
        if !failed, flushAtEnd() {
            do throws(NBDError) {
                try writeZeros(upTo: end)
            } catch {
                firstFailure.withLock { $0 = (.writing, error) }
                failed = true
            }
        }
        if !failed, flushAtEnd() {
            do throws(NBDError) {
                try destination.flush()
            } catch {
                firstFailure.withLock { $0 = (.flushing, error) }
            }
        }
        done.signal()
    }

    /// Writes the part of `window` that falls in `range`: its non-zero runs as data, the rest of
    /// the range as zeros (the parent's image below may hold data there).
    private func write(_ window: WindowRing.Window, _ data: UnsafeRawBufferPointer, within range: Range<UInt64>)
        throws(NBDError)
    {
        var position = range.lowerBound
        for run in window.nonZeroRuns {
            let runStart = window.dataOffset + UInt64(run.lowerBound)
            let runEnd = window.dataOffset + UInt64(run.upperBound)
            let start = max(runStart, range.lowerBound)
            let end = min(runEnd, range.upperBound)
            guard start < end else { continue }
            if position < start { try destination.zero(offset: position, length: start - position) }
            let first = run.lowerBound + Int(start - runStart)
            let bytes = UnsafeRawBufferPointer(rebasing: data[first..<first + Int(end - start)])
            try destination.pwrite(bytes, offset: start)
            storedBytes += end - start
            position = end
        }
        if position < range.upperBound {
            try destination.zero(offset: position, length: range.upperBound - position)
        }
    }

    /// Writes the pending zero range up to `offset`, when the destination needs its zeros.
    private func writeZeros(upTo offset: UInt64) throws(NBDError) {
        guard fillZeros, var from = zerosFrom else { return }
        while from < offset {
            let length = min(offset - from, Self.zeroRequestLimit)
            try destination.zero(offset: from, length: length)
            from += length
        }
        zerosFrom = offset
    }

    /// Waits for the writing thread; returns the data bytes written.
    func wait() -> UInt64 {
        done.wait()
        return storedBytes
    }
}
