import Dispatch
import Synchronization

/// Hands the windows of a stream from the thread that reads them to the threads that consume
/// them (hashing, writing), in order, through a ring of window descriptions and a ring of data
/// buffers.
///
/// A window without data takes no buffer, so the reader runs through zero ranges at once and can
/// read the data after them while the consumers are still busy. A window's slot and buffer are
/// freed once every consumer has seen it. Semaphores order every access to a slot; the class is
/// shared between one reader and `consumers` consumer threads.
final class WindowRing: @unchecked Sendable {
    /// One window of the content: zeros, then `data` bytes of the next buffer, then zeros.
    struct Window {
        var leadingZeros = 0
        var data = 0
        var trailingZeros = 0
        /// Where the data starts in the image.
        var dataOffset: UInt64 = 0
        /// The ranges of the data (offsets into the buffer) that hold non-zero bytes.
        var nonZeroRuns: [Range<Int>] = []
        /// The content's offset after this window.
        var end: UInt64 = 0
        /// The window was not read: its content is the parent's (no dirty bitmap marks it).
        var carried = false
        var isLast = false
    }

    private let buffers: [UnsafeMutableRawBufferPointer]
    private let windows: UnsafeMutablePointer<Window>
    private let windowCount: Int
    private let consumerCount: Int
    /// Per window slot: how many consumers have yet to see it.
    private let pending: Mutex<[Int]>
    // Semaphores start at 0 and are signalled up to their capacity: libdispatch traps when a
    // semaphore is freed with a value below the one it was created with.
    private let freeBuffers = DispatchSemaphore(value: 0)
    private let freeWindows = DispatchSemaphore(value: 0)
    private let filledWindows: [DispatchSemaphore]
    /// Used by the reader only.
    private var nextWindow = 0
    private var nextBufferIndex = 0

    init(consumers: Int, buffers bufferCount: Int, bufferSize: Int, windows: Int) {
        buffers = (0..<bufferCount).map { _ in .allocate(byteCount: bufferSize, alignment: 4096) }
        self.windows = .allocate(capacity: windows)
        self.windows.initialize(repeating: Window(), count: windows)
        windowCount = windows
        consumerCount = consumers
        pending = Mutex(Array(repeating: 0, count: windows))
        filledWindows = (0..<consumers).map { _ in DispatchSemaphore(value: 0) }
        for _ in 0..<bufferCount { freeBuffers.signal() }
        for _ in 0..<windows { freeWindows.signal() }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        windows.deinitialize(count: windowCount)
        windows.deallocate()
    }

    /// Reader: waits for a free buffer, to be filled and published with a window whose `data` is
    /// not 0. Take at most one before each `publish(_:)`.
    func nextBuffer() -> UnsafeMutableRawBufferPointer {
        freeBuffers.wait()
        defer { nextBufferIndex += 1 }
        return buffers[nextBufferIndex % buffers.count]
    }

    /// Reader: hands a window to every consumer; its data is in the buffer last taken.
    func publish(_ window: Window) {
        freeWindows.wait()
        let slot = nextWindow % windowCount
        windows[slot] = window
        pending.withLock { $0[slot] = consumerCount }
        nextWindow += 1
        for filled in filledWindows { filled.signal() }
    }

    /// Reader: publishes the end of the content. Call exactly once, also when reading failed.
    func finish() {
        publish(Window(isLast: true))
    }

    /// Consumer number `consumer`: calls `body` with every window and its data, in order, until
    /// the reader calls `finish()`.
    func consume(_ consumer: Int, _ body: (Window, UnsafeRawBufferPointer) -> Void) {
        var windowIndex = 0
        var bufferIndex = 0
        while true {
            filledWindows[consumer].wait()
            let slot = windowIndex % windowCount
            let window = windows[slot]
            windowIndex += 1
            if window.isLast {
                release(slot, withBuffer: false)
                return
            }
            let buffer = buffers[bufferIndex % buffers.count]
            body(window, UnsafeRawBufferPointer(rebasing: buffer[0..<window.data]))
            if window.data > 0 { bufferIndex += 1 }
            release(slot, withBuffer: window.data > 0)
        }
    }

    /// Frees the slot, and its buffer, once the last consumer is done with it.
    private func release(_ slot: Int, withBuffer: Bool) {
        let isLastConsumer = pending.withLock { counts in
            counts[slot] -= 1
            return counts[slot] == 0
        }
        guard isLastConsumer else { return }
        freeWindows.signal()
        if withBuffer { freeBuffers.signal() }
    }
}
