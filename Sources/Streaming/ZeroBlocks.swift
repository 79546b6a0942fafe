#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only run of zero bytes, shared by hashing (zero extents are hashed from it) and zero
/// detection (blocks are compared against it).
///
/// Allocated with `calloc`, which for a block this large usually maps the kernel's zero page:
/// it then costs next to no memory, and reading it stays in the CPU caches.
final class ZeroBuffer: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    init(count: Int) {
        bytes = UnsafeRawBufferPointer(start: calloc(count, 1), count: count)
    }

    deinit { free(UnsafeMutableRawPointer(mutating: bytes.baseAddress)) }

    /// The first `count` zero bytes; `count` must not exceed the buffer's size.
    func prefix(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[0..<count])
    }

    /// Whether `data` is all zeros; `data.count` must not exceed the buffer's size. Wraps `memcmp`.
    func isZero(_ data: UnsafeRawBufferPointer) -> Bool {
        guard let base = data.baseAddress, data.count > 0 else { return true }
        return memcmp(base, bytes.baseAddress!, data.count) == 0
    }
}

/// Where the non-zero data of a buffer is, in blocks aligned to the image's offsets.
enum NonZeroRuns {
    /// The ranges of `data` (read from image offset `offset`) to write, as byte ranges into
    /// `data`: maximal runs of `granularity`-sized blocks, aligned to image offsets, that hold any
    /// non-zero byte. Blocks that are entirely zero are left out.
    static func find(
        in data: UnsafeRawBufferPointer, at offset: UInt64, granularity: Int, zeros: ZeroBuffer
    ) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        while start < data.count {
            let misalignment = Int(offset &+ UInt64(start)) % granularity
            let end = min(start + granularity - misalignment, data.count)
            let block = UnsafeRawBufferPointer(rebasing: data[start..<end])
            if !zeros.isZero(block) {
                if let last = runs.last, last.upperBound == start {
                    runs[runs.count - 1] = last.lowerBound..<end
                } else {
                    runs.append(start..<end)
                }
            }
            start = end
        }
        return runs
    }
}
