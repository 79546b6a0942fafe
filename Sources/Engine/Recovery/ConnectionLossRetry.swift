import Blocking
import Libvirt
import Logging
import Snapshots

/// Repeats a whole step that is safe to repeat (a release, a thaw, a read) when it failed because
/// the connection to libvirtd was lost: once libvirtd is back (the domain waits for it, bounded),
/// the step runs again from its start. A call whose reply was lost is never repeated on its own;
/// only the step, which first looks at where things stand, is.
struct ConnectionLossRetry: Sendable {
    var domain: Domain
    var executor: BlockingExecutor
    var logger: Logger
    /// How many times the step runs at most.
    var attempts = 4

    func run<T: Sendable>(_ what: String, _ step: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await step()
            } catch  where attempt < attempts && EngineError.connectionLost(error) {
                attempt += 1
                logger.warning(
                    "\(what) failed: the libvirt connection was lost; repeating it once libvirtd is back",
                    metadata: ["vm.name": "\(domain.name)", "attempt": "\(attempt)", "error": "\(error)"])
                try await domain.awaitReconnection(executor: executor, logger: logger)
            }
        }
    }
}
