import NIOPosix

/// The daemon's one pool of threads for blocking work: libvirt calls, fsync, folder removal,
/// FICLONE, stat and mountinfo probes, libbtrfsutil calls, the directory target's I/O. None of
/// it runs on Swift's cooperative pool, which has as many threads as cores (two here) and must
/// stay free for the API and the jobs' coordination.
///
/// One instance is made at start and handed down (injected) to whatever blocks; liblvm2cmd is the
/// exception, with a thread of its own because it is not thread-safe.
///
/// Work handed to `run` always runs to the end, even when the calling task is cancelled: a thaw, a
/// pivot, an fsync or a removal that was asked for must not be dropped halfway.
public final class BlockingExecutor: Sendable {
    private let pool: NIOThreadPool

    /// Starts a pool of `threads` threads.
    public init(threads: Int = 4) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Runs `body` on a pool thread and returns its result.
    ///
    /// Throws `BlockingExecutorError.shutDown` if the pool was shut down before `body` could start.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            pool.submit { state in
                guard case .active = state else {
                    continuation.resume(throwing: BlockingExecutorError.shutDown)
                    return
                }
                continuation.resume(with: Result(catching: body))
            }
        }
    }

    /// Waits for the running work to finish and stops the threads.
    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}

/// Why a `BlockingExecutor` did not run a body.
public enum BlockingExecutorError: Error, Sendable, CustomStringConvertible {
    case shutDown
    /// The call did not return within this time (``BlockingExecutor/run(within:_:)``).
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .shutDown: "the blocking-work thread pool is shut down"
        case .timedOut(let limit): "no answer within \(limit)"
        }
    }
}
