import Foundation
import Targets

/// Which chunks of a disk changed since the parent's index: decided by the hashing thread as it
/// closes each chunk, waited for by the writing thread, which writes only changed chunks.
///
/// A chunk changed when its digest differs from the parent's, a zero chunk having no digest: so a
/// chunk the parent held data in and that now reads as zeros changed too.
final class ChunkVerdicts: @unchecked Sendable {
    private let parent: [UInt64: ChunkDigest]
    private let chunkSize: UInt64
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var changed: [Bool]
    /// Guarded by `condition`: the chunks below this number have a verdict.
    private var decided: UInt64 = 0

    init(parent: ChunkIndex, chunkCount: UInt64) {
        self.parent = Dictionary(parent.entries.map { ($0.number, $0.digest) }, uniquingKeysWith: { first, _ in first })
        self.chunkSize = UInt64(parent.chunkSize)
        self.changed = Array(repeating: false, count: Int(chunkCount))
    }

    /// Hashing thread: records the verdicts of the chunks from the last call up to `closed`
    /// (exclusive), given the index entries hashed so far, in order. `entries` must hold every
    /// entry of a chunk below `closed`.
    func decide(through closed: UInt64, entries: [ChunkIndex.Entry], from firstNew: inout Int) {
        condition.lock()
        defer { condition.unlock() }
        let end = min(closed, UInt64(changed.count))
        guard end > decided else { return }
        var next = firstNew
        for number in decided..<end {
            var digest: ChunkDigest?
            if next < entries.count, entries[next].number == number {
                digest = entries[next].digest
                next += 1
            }
            changed[Int(number)] = digest != parent[number]
        }
        firstNew = next
        decided = end
        condition.broadcast()
    }

    /// Hashing thread: the content ended (or the copy stopped): releases every waiting writer.
    func finish(entries: [ChunkIndex.Entry], from firstNew: inout Int) {
        decide(through: UInt64(changed.count), entries: entries, from: &firstNew)
        condition.lock()
        decided = UInt64(changed.count)
        condition.broadcast()
        condition.unlock()
    }

    /// Writing thread: the chunks of `range` (byte offsets) that changed, once each has a verdict.
    func changedChunks(in range: Range<UInt64>) -> [Range<UInt64>] {
        guard !range.isEmpty else { return [] }
        let first = range.lowerBound / chunkSize
        let last = (range.upperBound - 1) / chunkSize
        condition.lock()
        defer { condition.unlock() }
        while decided <= last, decided < UInt64(changed.count) { condition.wait() }
        var result: [Range<UInt64>] = []
        for number in first...last where number < UInt64(changed.count) && changed[Int(number)] {
            let start = max(number * chunkSize, range.lowerBound)
            let end = min((number + 1) * chunkSize, range.upperBound)
            if let previous = result.last, previous.upperBound == start {
                result[result.count - 1] = previous.lowerBound..<end
            } else {
                result.append(start..<end)
            }
        }
        return result
    }
}
