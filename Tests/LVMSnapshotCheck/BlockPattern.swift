import Foundation

/// Recognisable content for a block device: every MiB starts with a line naming the pattern's seed
/// and the MiB's index and is filled with a byte derived from both.
struct BlockPattern {
    static let chunkBytes = 1 << 20

    var seed: Int

    func chunk(_ index: Int) -> Data {
        var data = Data(repeating: UInt8(truncatingIfNeeded: seed &* 37 &+ index &+ 1), count: Self.chunkBytes)
        let header = Data("vmbackup lvm check: seed \(seed), MiB \(index)\n".utf8)
        data.replaceSubrange(0..<header.count, with: header)
        return data
    }

    /// Writes the first `bytes` of the pattern to `device` and flushes them to it.
    func write(to device: String, bytes: Int) throws {
        guard let handle = FileHandle(forUpdatingAtPath: device) else { throw CheckFailure("cannot open \(device)") }
        defer { try? handle.close() }
        for index in 0..<(bytes / Self.chunkBytes) {
            try handle.write(contentsOf: chunk(index))
        }
        try handle.synchronize()
    }

    /// Whether `device` holds the pattern in `range` (in MiB), read past the page cache.
    func matches(_ device: String, mebibytes range: Range<Int>) throws -> Bool {
        try Self.dropCaches()
        guard let handle = FileHandle(forReadingAtPath: device) else { throw CheckFailure("cannot open \(device)") }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound * Self.chunkBytes))
        for index in range {
            guard try handle.read(upToCount: Self.chunkBytes) == chunk(index) else { return false }
        }
        return true
    }

    /// Makes the next read come from the devices, not from pages cached before a snapshot changed
    /// what a device shows.
    static func dropCaches() throws {
        guard let handle = FileHandle(forWritingAtPath: "/proc/sys/vm/drop_caches") else {
            throw CheckFailure("cannot open /proc/sys/vm/drop_caches")
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("3\n".utf8))
    }
}

struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
