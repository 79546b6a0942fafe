import Crypto
import Dispatch

/// Hashes a stream's content in order on a thread of its own, while the copy thread reads and
/// writes ahead of it.
///
/// The two threads meet in two rings: one of window descriptions, one of data buffers. A window
/// without data takes no buffer, so the copy thread runs through zero ranges at once and can
/// read the data after them while the hashing thread is still hashing the zeros.
///
/// The copy thread takes a buffer with `nextBuffer()`, fills it, and hands its window over with
/// `publish(_:)`; the hashing thread, running `run()`, hashes each window's leading zeros, data
/// and trailing zeros, and frees its buffer. Semaphores order every access to a slot, so the
/// class is safe to share between exactly these two threads.
final class PipelinedHasher: @unchecked Sendable {
    /// One window of the content: zeros, then `data` bytes of the next buffer, then zeros.
    struct Window {
        var leadingZeros = 0
        var data = 0
        var trailingZeros = 0
        /// The content's offset after this window, reported as progress once hashed.
        var end: UInt64 = 0
        var isLast = false
    }

    private let buffers: [UnsafeMutableRawBufferPointer]
    private let windows: UnsafeMutablePointer<Window>
    private let windowCount: Int
    private let zeros: ZeroBuffer
    private let progress: @Sendable (UInt64) -> Void
    // The semaphores start at 0 and are signalled up to their capacity: libdispatch traps when a
    // semaphore is freed with a value below the one it was created with.
    private let freeBuffers = DispatchSemaphore(value: 0)
    private let freeWindows = DispatchSemaphore(value: 0)
    private let filledWindows = DispatchSemaphore(value: 0)
    private let hashed = DispatchSemaphore(value: 0)
    /// Used by the copy thread only.
    private var nextWindow = 0
    private var nextBufferIndex = 0
    /// Written by the hashing thread before it signals `hashed`.
    private var digest = ""

    init(buffers bufferCount: Int, bufferSize: Int, windows: Int, zeros: ZeroBuffer, progress: @escaping @Sendable (UInt64) -> Void) {
        buffers = (0..<bufferCount).map { _ in .allocate(byteCount: bufferSize, alignment: 4096) }
        self.windows = .allocate(capacity: windows)
        self.windows.initialize(repeating: Window(), count: windows)
        windowCount = windows
        for _ in 0..<bufferCount { freeBuffers.signal() }
        for _ in 0..<windows { freeWindows.signal() }
        self.zeros = zeros
        self.progress = progress
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        windows.deinitialize(count: windowCount)
        windows.deallocate()
    }

    /// Copy thread: waits for a free buffer, to be filled and published with a window whose
    /// `data` is not 0. Take at most one before each `publish(_:)`.
    func nextBuffer() -> UnsafeMutableRawBufferPointer {
        freeBuffers.wait()
        defer { nextBufferIndex += 1 }
        return buffers[nextBufferIndex % buffers.count]
    }

    /// Copy thread: hands a window over for hashing; its data is in the buffer last taken.
    func publish(_ window: Window) {
        freeWindows.wait()
        windows[nextWindow % windowCount] = window
        nextWindow += 1
        filledWindows.signal()
    }

    /// Copy thread: ends the content, waits until all of it is hashed, and returns the lowercase
    /// hex SHA-256. Must be called exactly once, also when copying failed.
    func finish() -> String {
        publish(Window(isLast: true))
        hashed.wait()
        return digest
    }

    /// Hashing thread: hashes every published window in order until `finish()`.
    func run() {
        var hasher = SHA256()
        var windowIndex = 0
        var bufferIndex = 0
        while true {
            filledWindows.wait()
            let window = windows[windowIndex % windowCount]
            windowIndex += 1
            freeWindows.signal()
            if window.isLast { break }
            hasher.update(bufferPointer: zeros.prefix(window.leadingZeros))
            if window.data > 0 {
                let buffer = buffers[bufferIndex % buffers.count]
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<window.data]))
                bufferIndex += 1
                freeBuffers.signal()
            }
            hasher.update(bufferPointer: zeros.prefix(window.trailingZeros))
            progress(window.end)
        }
        digest = hasher.finalize().lowercaseHex
        hashed.signal()
    }
}
