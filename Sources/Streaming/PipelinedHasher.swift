import Crypto
import Dispatch

/// Hashes a stream's content in order on a thread of its own, while the copy thread reads and
/// writes the windows after it: the two meet in a ring of buffers.
///
/// The copy thread takes a buffer with `nextBuffer()`, fills it, and hands it back with
/// `publish(_:)`; the hashing thread, running `run()`, hashes each window's leading zeros, data
/// and trailing zeros and frees the buffer. Semaphores order every access to a slot, so the
/// class is safe to share between exactly these two threads.
final class PipelinedHasher: @unchecked Sendable {
    /// One window of the content: zeros, then `data` bytes of the window's buffer, then zeros.
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
    private let zeros: ZeroBuffer
    private let progress: @Sendable (UInt64) -> Void
    private let freeSlots: DispatchSemaphore
    private let filledSlots = DispatchSemaphore(value: 0)
    private let hashed = DispatchSemaphore(value: 0)
    /// Used by the copy thread only.
    private var nextSlot = 0
    /// Written by the hashing thread before it signals `hashed`.
    private var digest = ""

    init(slots: Int, bufferSize: Int, zeros: ZeroBuffer, progress: @escaping @Sendable (UInt64) -> Void) {
        buffers = (0..<slots).map { _ in .allocate(byteCount: bufferSize, alignment: 4096) }
        windows = .allocate(capacity: slots)
        windows.initialize(repeating: Window(), count: slots)
        freeSlots = DispatchSemaphore(value: slots)
        self.zeros = zeros
        self.progress = progress
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        windows.deinitialize(count: buffers.count)
        windows.deallocate()
    }

    /// Copy thread: waits for a free buffer, to be filled and then published.
    func nextBuffer() -> UnsafeMutableRawBufferPointer {
        freeSlots.wait()
        return buffers[nextSlot % buffers.count]
    }

    /// Copy thread: hands the buffer taken by `nextBuffer()` over for hashing.
    func publish(_ window: Window) {
        windows[nextSlot % buffers.count] = window
        nextSlot += 1
        filledSlots.signal()
    }

    /// Copy thread: ends the content, waits until all of it is hashed, and returns the lowercase
    /// hex SHA-256. Must be called exactly once, also when copying failed.
    func finish() -> String {
        _ = nextBuffer()
        publish(Window(isLast: true))
        hashed.wait()
        return digest
    }

    /// Hashing thread: hashes every published window in order until `finish()`.
    func run() {
        var hasher = SHA256()
        var slot = 0
        while true {
            filledSlots.wait()
            let window = windows[slot % buffers.count]
            if window.isLast { break }
            hasher.update(bufferPointer: zeros.prefix(window.leadingZeros))
            let buffer = buffers[slot % buffers.count]
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<window.data]))
            hasher.update(bufferPointer: zeros.prefix(window.trailingZeros))
            slot += 1
            freeSlots.signal()
            progress(window.end)
        }
        digest = hasher.finalize().lowercaseHex
        hashed.signal()
    }
}
