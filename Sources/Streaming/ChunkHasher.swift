import Crypto
import Targets

/// Builds a disk's chunk index from its content fed in order, as runs of known zeros and runs of
/// data: a chunk is hashed only once it holds a non-zero byte, so zero ranges cost nothing.
///
/// The zeros before the first data of a chunk are counted, and hashed only when data follows in
/// the same chunk.
struct ChunkHasher {
    private let chunkSize: UInt64
    private let zeros: ZeroBuffer
    private(set) var entries: [ChunkIndex.Entry] = []
    /// The content's offset fed so far.
    private var position: UInt64 = 0
    /// Zeros fed at the start of the current chunk before any data.
    private var pendingZeros: UInt64 = 0
    /// The current chunk's hasher, once it has data.
    private var hasher: SHA256?

    init(chunkSize: Int, zeros: ZeroBuffer) {
        self.chunkSize = UInt64(chunkSize)
        self.zeros = zeros
    }

    /// How many chunks are closed: every chunk below this number has its entry, if it has one.
    var closedChunks: UInt64 { position / chunkSize }

    /// Takes the entries of the chunks from the current position up to `end` from `parent`,
    /// unread: the content there is known to be the parent's. The position must be at a chunk's
    /// start, `end` at another's or at the content's end. `cursor` is where the search in
    /// `parent.entries` starts, and is moved past what was taken.
    mutating func carry(from parent: ChunkIndex, through end: UInt64, cursor: inout Int) {
        let first = position / chunkSize
        let last = (end + chunkSize - 1) / chunkSize
        let entries = parent.entries
        while cursor < entries.count, entries[cursor].number < first { cursor += 1 }
        while cursor < entries.count, entries[cursor].number < last {
            self.entries.append(entries[cursor])
            cursor += 1
        }
        position = end
    }

    /// Feeds `count` zero bytes.
    mutating func zeros(_ count: UInt64) {
        var left = count
        while left > 0 {
            let piece = min(left, roomInChunk)
            if hasher != nil {
                var hashLeft = piece
                while hashLeft > 0 {
                    let part = Int(min(hashLeft, UInt64(zeros.bytes.count)))
                    hasher!.update(bufferPointer: zeros.prefix(part))
                    hashLeft -= UInt64(part)
                }
            } else {
                pendingZeros += piece
            }
            advance(by: piece)
            left -= piece
        }
    }

    /// Feeds `data`, which may hold zeros too (it is hashed as it is).
    mutating func data(_ data: UnsafeRawBufferPointer) {
        var start = 0
        while start < data.count {
            let piece = Int(min(UInt64(data.count - start), roomInChunk))
            if hasher == nil {
                hasher = SHA256()
                let held = pendingZeros
                pendingZeros = 0
                var hashLeft = held
                while hashLeft > 0 {
                    let part = Int(min(hashLeft, UInt64(zeros.bytes.count)))
                    hasher!.update(bufferPointer: zeros.prefix(part))
                    hashLeft -= UInt64(part)
                }
            }
            hasher!.update(bufferPointer: UnsafeRawBufferPointer(rebasing: data[start..<start + piece]))
            advance(by: UInt64(piece))
            start += piece
        }
    }

    /// Ends the content: the last, shorter chunk is listed if it holds data. Returns the entries.
    mutating func finish() -> [ChunkIndex.Entry] {
        if position % chunkSize != 0 { closeChunk() }
        return entries
    }

    private var roomInChunk: UInt64 { chunkSize - position % chunkSize }

    private mutating func advance(by count: UInt64) {
        position += count
        if position % chunkSize == 0 { closeChunk() }
    }

    private mutating func closeChunk() {
        if let finished = hasher {
            let number = (position - 1) / chunkSize
            entries.append(ChunkIndex.Entry(number: number, digest: ChunkDigest(finished.finalize())))
        }
        hasher = nil
        pendingZeros = 0
    }
}
