import Crypto
import Dispatch
import NBD
import Synchronization

/// The consumer that hashes the whole content in order, zeros included, and reports progress.
final class HashStage: @unchecked Sendable {
    private let zeros: ZeroBuffer
    private let progress: @Sendable (UInt64) -> Void
    private let done = DispatchSemaphore(value: 0)
    /// Written by the hashing thread before it signals `done`.
    private var digest = ""

    init(zeros: ZeroBuffer, progress: @escaping @Sendable (UInt64) -> Void) {
        self.zeros = zeros
        self.progress = progress
    }

    /// Hashing thread: consumes every window of `ring` as consumer `consumer`.
    func run(_ ring: WindowRing, consumer: Int) {
        var hasher = SHA256()
        ring.consume(consumer) { window, data in
            hasher.update(bufferPointer: zeros.prefix(window.leadingZeros))
            hasher.update(bufferPointer: data)
            hasher.update(bufferPointer: zeros.prefix(window.trailingZeros))
            progress(window.end)
        }
        digest = hasher.finalize().lowercaseHex
        done.signal()
    }

    /// Waits for the hashing thread; returns the lowercase hex SHA-256 of the content.
    func wait() -> String {
        done.wait()
        return digest
    }
}

/// The consumer that writes the non-zero runs of every window to the destination, then flushes
/// it. After the first failure it writes nothing more but still consumes, so the reader never
/// waits for it in vain.
final class WriteStage: @unchecked Sendable {
    private let destination: NBDConnection
    private let done = DispatchSemaphore(value: 0)
    private let firstFailure = Mutex<(step: StreamError.Step, error: NBDError)?>(nil)
    /// Written by the writing thread before it signals `done`.
    private var storedBytes: UInt64 = 0

    init(destination: NBDConnection) {
        self.destination = destination
    }

    /// The first write or flush that failed, if any; the reader polls it to stop early.
    var failure: (step: StreamError.Step, error: NBDError)? { firstFailure.withLock { $0 } }

    /// Writing thread: consumes every window of `ring` as consumer `consumer`, then flushes the
    /// destination to stable storage.
    func run(_ ring: WindowRing, consumer: Int, flushAtEnd: () -> Bool) {
        var failed = false
        ring.consume(consumer) { window, data in
            guard !failed else { return }
            do throws(NBDError) {
                for run in window.nonZeroRuns {
                    let offset = window.dataOffset + UInt64(run.lowerBound)
                    try destination.pwrite(UnsafeRawBufferPointer(rebasing: data[run]), offset: offset)
                    storedBytes += UInt64(run.count)
                }
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

    /// Waits for the writing thread; returns the data bytes written.
    func wait() -> UInt64 {
        done.wait()
        return storedBytes
    }
}
