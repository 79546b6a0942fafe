import Blocking
import Libvirt
import Logging

extension Domain {
    /// Waits until the domain has a connection again, trying to reopen it at the pauses of
    /// `backoff` (each attempt on the executor, the pauses off any thread). Returns at once when
    /// the connection is open. Throws the last connection-lost error when libvirtd is not back
    /// within the backoff, and at once for any other error (the domain is gone).
    public func awaitReconnection(
        executor: BlockingExecutor, logger: Logger, backoff: ReconnectBackoff = .standard
    ) async throws {
        var delays = backoff.delays.makeIterator()
        var logged = false
        while true {
            do {
                try await executor.run { try self.reconnect() }
                if logged { logger.notice("libvirt connection reopened", metadata: ["vm.name": "\(name)"]) }
                return
            } catch let error as LibvirtError where error.isConnectionLost {
                guard let delay = delays.next() else { throw error }
                if !logged {
                    logger.warning(
                        "lost the libvirt connection; waiting for libvirtd",
                        metadata: ["vm.name": "\(name)", "error": "\(error)"])
                    logged = true
                }
                await sleepIgnoringCancellation(delay)
            }
        }
    }
}
