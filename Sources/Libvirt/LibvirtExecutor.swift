import NIOPosix

/// Runs blocking libvirt calls on a dedicated NIOThreadPool, never on Swift's cooperative pool.
///
/// Work handed to `run` always runs to the end, even when the calling task is cancelled: a thaw, a
/// pivot or an abort that was asked for must not be dropped.
public final class LibvirtExecutor: Sendable {
    private let pool: NIOThreadPool

    /// Starts a pool of `threads` threads.
    public init(threads: Int = 4) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Runs `body` on a pool thread and returns its result.
    ///
    /// Throws `LibvirtExecutorError.shutDown` if the pool was shut down before `body` could start.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            pool.submit { state in
                guard case .active = state else {
                    continuation.resume(throwing: LibvirtExecutorError.shutDown)
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

/// Why a `LibvirtExecutor` did not run a body.
public enum LibvirtExecutorError: Error, Sendable, CustomStringConvertible {
    case shutDown

    public var description: String {
        switch self {
        case .shutDown: "the libvirt thread pool is shut down"
        }
    }
}
