import Crypto

/// A disk's chunk index (format 2): the SHA-256 of each fixed-size chunk of the disk's
/// guest-visible content that holds a byte other than zero. A chunk of zeros is neither hashed
/// nor listed; its digest is known (``zeroChunkDigest(length:)``).
///
/// The file is text in `sha256sum`'s own format, one line per listed chunk in order:
///
///     <64 lowercase hex digits><two spaces>chunk-<chunk number, 10 decimal digits>\n
///
/// so that after `qemu-img convert -O raw` and `split -b <chunkSize> -d -a 10 IMAGE chunk-`,
/// `sha256sum -c INDEX` checks every listed chunk with no tool of ours (docs/FORMAT.md). The
/// disk's digest is the SHA-256 of the file's bytes, and the manifest carries it.
public struct ChunkIndex: Sendable, Equatable {
    /// One MiB: small enough that a few changed bytes cost one MiB in an incremental, large
    /// enough that a 1 TiB disk's index stays under 90 MB (docs/FORMAT.md says why).
    public static let defaultChunkSize = 1 << 20
    /// The longest chunk number a line can carry.
    static let numberDigits = 10

    /// One listed chunk.
    public struct Entry: Sendable, Equatable {
        /// The chunk's position: its content starts at `number * chunkSize`.
        public var number: UInt64
        public var digest: ChunkDigest

        public init(number: UInt64, digest: ChunkDigest) {
            self.number = number
            self.digest = digest
        }
    }

    /// The size of every chunk but the last, which ends with the disk.
    public var chunkSize: Int
    /// The disk's guest-visible size.
    public var virtualSize: UInt64
    /// The chunks that hold data, by increasing number.
    public var entries: [Entry]

    public init(chunkSize: Int, virtualSize: UInt64, entries: [Entry]) {
        self.chunkSize = chunkSize
        self.virtualSize = virtualSize
        self.entries = entries
    }

    /// How many chunks the disk has, zero chunks included.
    public var chunkCount: UInt64 { Self.chunkCount(virtualSize: virtualSize, chunkSize: chunkSize) }

    static func chunkCount(virtualSize: UInt64, chunkSize: Int) -> UInt64 {
        (virtualSize + UInt64(chunkSize) - 1) / UInt64(chunkSize)
    }

    /// The byte range chunk `number` covers.
    public func range(ofChunk number: UInt64) -> Range<UInt64> {
        let start = number * UInt64(chunkSize)
        return start..<min(start + UInt64(chunkSize), virtualSize)
    }

    /// The name `split -d -a 10` gives chunk `number` with the prefix `chunk-`.
    public static func chunkName(_ number: UInt64) -> String {
        let digits = String(number)
        return "chunk-" + String(repeating: "0", count: max(0, numberDigits - digits.count)) + digits
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * (64 + 2 + 6 + Self.numberDigits + 1))
        for entry in entries {
            entry.digest.appendHex(to: &bytes)
            bytes += Array("  ".utf8) + Array(Self.chunkName(entry.number).utf8) + [0x0a]
        }
        return bytes
    }

    /// The disk's digest: the SHA-256 of the file's bytes, in lowercase hex.
    public var digest: String { ChunkDigest(SHA256.hash(data: encoded())).hex }

    /// Reads an index file of a disk of `virtualSize` bytes in chunks of `chunkSize`. Throws
    /// `ChunkIndexError` for a line that is not in the format, a chunk out of order or past the
    /// disk's end.
    public static func decode(_ bytes: [UInt8], chunkSize: Int, virtualSize: UInt64) throws(ChunkIndexError)
        -> ChunkIndex
    {
        guard chunkSize > 0 else { throw .badChunkSize(chunkSize) }
        let count = chunkCount(virtualSize: virtualSize, chunkSize: chunkSize)
        let lineLength = 64 + 2 + 6 + numberDigits + 1
        guard bytes.count % lineLength == 0 else { throw .malformed(line: bytes.count / lineLength + 1) }
        var entries: [Entry] = []
        entries.reserveCapacity(bytes.count / lineLength)
        var previous: UInt64?
        for (index, start) in stride(from: 0, to: bytes.count, by: lineLength).enumerated() {
            let line = bytes[start..<start + lineLength]
            guard let entry = parse(line) else { throw .malformed(line: index + 1) }
            guard entry.number < count else { throw .pastTheEnd(line: index + 1, chunk: entry.number) }
            if let previous, entry.number <= previous { throw .outOfOrder(line: index + 1) }
            previous = entry.number
            entries.append(entry)
        }
        return ChunkIndex(chunkSize: chunkSize, virtualSize: virtualSize, entries: entries)
    }

    private static func parse(_ line: ArraySlice<UInt8>) -> Entry? {
        let base = line.startIndex
        guard let digest = ChunkDigest(hex: line[base..<base + 64]) else { return nil }
        let rest = Array(line[(base + 64)...])
        let prefix = Array("  chunk-".utf8)
        guard rest.starts(with: prefix), rest.last == 0x0a else { return nil }
        var number: UInt64 = 0
        for byte in rest[prefix.count..<rest.count - 1] {
            guard (0x30...0x39).contains(byte) else { return nil }
            number = number * 10 + UInt64(byte - 0x30)
        }
        return Entry(number: number, digest: digest)
    }

    /// The digest of a chunk of `length` zero bytes: what every chunk the index does not list holds.
    public static func zeroChunkDigest(length: Int) -> ChunkDigest {
        var hasher = SHA256()
        let zeros = [UInt8](repeating: 0, count: min(length, 1 << 20))
        var left = length
        while left > 0 {
            let count = min(left, zeros.count)
            hasher.update(data: zeros[0..<count])
            left -= count
        }
        return ChunkDigest(hasher.finalize())
    }

    /// The first chunk where `found` (content read back) differs from this index, or `nil` when
    /// they agree on every chunk. Both must describe the same disk size and chunk size.
    public func firstDifference(from found: ChunkIndex) -> ChunkMismatch? {
        guard found.chunkSize == chunkSize, found.virtualSize == virtualSize else {
            return ChunkMismatch(chunk: 0, offset: 0, expected: nil, found: nil)
        }
        var mine = entries.makeIterator()
        var theirs = found.entries.makeIterator()
        var expected = mine.next()
        var actual = theirs.next()
        while expected != nil || actual != nil {
            let number = min(expected?.number ?? .max, actual?.number ?? .max)
            let expectedDigest = expected?.number == number ? expected?.digest : nil
            let actualDigest = actual?.number == number ? actual?.digest : nil
            if expectedDigest != actualDigest {
                return ChunkMismatch(
                    chunk: number, offset: number * UInt64(chunkSize), expected: expectedDigest, found: actualDigest)
            }
            if expected?.number == number { expected = mine.next() }
            if actual?.number == number { actual = theirs.next() }
        }
        return nil
    }
}

/// Where content read back first disagrees with a chunk index.
public struct ChunkMismatch: Sendable, Equatable, CustomStringConvertible {
    public var chunk: UInt64
    /// The chunk's first byte in the disk.
    public var offset: UInt64
    /// The digest the index lists; `nil` for a chunk the index says is zeros.
    public var expected: ChunkDigest?
    /// The digest of what was read; `nil` when it read as zeros.
    public var found: ChunkDigest?

    public init(chunk: UInt64, offset: UInt64, expected: ChunkDigest?, found: ChunkDigest?) {
        self.chunk = chunk
        self.offset = offset
        self.expected = expected
        self.found = found
    }

    public var description: String {
        let expectedText = expected.map { "SHA-256 \($0.hex)" } ?? "zeros"
        let foundText = found.map { "SHA-256 \($0.hex)" } ?? "zeros"
        return "chunk \(chunk) (offset \(offset)) should hold \(expectedText) but holds \(foundText)"
    }
}

/// Why an index file could not be read.
public enum ChunkIndexError: Error, Sendable, Equatable, CustomStringConvertible {
    case badChunkSize(Int)
    case malformed(line: Int)
    case outOfOrder(line: Int)
    case pastTheEnd(line: Int, chunk: UInt64)

    public var description: String {
        switch self {
        case .badChunkSize(let size): "chunk size \(size) is not a positive number"
        case .malformed(let line): "line \(line) is not \"<sha256>  chunk-<10 digits>\""
        case .outOfOrder(let line): "line \(line) does not follow the chunk before it"
        case .pastTheEnd(let line, let chunk): "line \(line) names chunk \(chunk), past the end of the disk"
        }
    }
}
