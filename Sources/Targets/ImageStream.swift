import Synchronization

/// A stored image read back in chunks of bytes, in order, as `BackupTarget.readImage` gives it.
///
/// Pull-driven: each chunk is read when the consumer asks for it, so a slow consumer never makes
/// the target read ahead into memory. Each iteration reads the image from its start.
public struct ImageStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = any Error

    /// Makes the function that gives the next chunk of one iteration, `nil` at the end.
    private let open: @Sendable () -> @Sendable () async throws -> [UInt8]?

    /// A stream whose iterations each call `open` once for the function that reads their chunks.
    public init(_ open: @escaping @Sendable () -> @Sendable () async throws -> [UInt8]?) {
        self.open = open
    }

    /// The bytes of `bytes`, in chunks of at most `chunkSize` bytes.
    public init(bytes: [UInt8], chunkSize: Int = 1 << 20) {
        self.init {
            let next = ChunkCursor(bytes: bytes, chunkSize: chunkSize)
            return { next.take() }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(nextChunk: open()) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextChunk: @Sendable () async throws -> [UInt8]?

        public mutating func next() async throws -> [UInt8]? { try await nextChunk() }
    }

    /// Every byte of the image, gathered in memory: for tests and small images.
    public func collect() async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in self { all += chunk }
        return all
    }
}

/// The position in an in-memory image of one iteration.
private final class ChunkCursor: Sendable {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private let offset = Mutex(0)

    init(bytes: [UInt8], chunkSize: Int) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    func take() -> [UInt8]? {
        offset.withLock { offset in
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + chunkSize)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }
}
