import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Signals as an async sequence: their default action (ending the process) is turned off, and
/// each one that arrives is yielded.
enum SignalStream {
    static func make(_ signals: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = signals.map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            // Kept alive, and cancelled, with the stream.
            let kept = Mutex(sources)
            continuation.onTermination = { _ in
                kept.withLock { sources in
                    for source in sources { source.cancel() }
                }
            }
        }
    }
}
