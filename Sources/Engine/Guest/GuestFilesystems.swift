import Blocking
import Libvirt
import Logging
import Snapshots

/// A guest's filesystems, frozen and thawed through its agent: one place for the backup job and
/// for crash recovery, so that both thaw the same way.
struct GuestFilesystems: Sendable {
    /// How a thaw ended.
    enum Thaw: Sendable, Equatable {
        /// The agent thawed this many filesystems (0 when none was frozen).
        case thawed(Int)
        /// The agent is not there (not configured, not connected, not answering): nothing it
        /// could have frozen can be thawed through it.
        case agentGone(String)
    }

    let domain: Domain
    let vmName: String
    let executor: BlockingExecutor
    let agentTimeoutSeconds: Int32

    /// Freezes every filesystem of the guest at once (`virDomainFSFreeze`, with the agent
    /// timeout); returns how many.
    func freeze() async throws -> Int {
        let domain = domain
        let timeout = agentTimeoutSeconds
        return try await executor.run {
            try domain.setAgentTimeout(seconds: timeout)
            return Int(try domain.fsFreeze())
        }
    }

    /// Thaws the guest (`virDomainFSThaw`), trying up to `attempts` times with a short pause
    /// between tries. An agent that is not there ends the tries at once with `.agentGone`; any
    /// other failure of the last try is thrown.
    func thaw(attempts: Int, logger: Logger) async throws -> Thaw {
        let domain = domain
        let timeout = agentTimeoutSeconds
        var lastError: (any Error)?
        for attempt in 1...max(1, attempts) {
            do {
                let count = try await executor.run {
                    try domain.setAgentTimeout(seconds: timeout)
                    return Int(try domain.fsThaw())
                }
                return .thawed(count)
            } catch let error as LibvirtError where error.isAgentUnavailable {
                return .agentGone("\(error)")
            } catch {
                lastError = error
                logger.warning(
                    "thaw failed", metadata: ["vm.name": "\(vmName)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt < attempts { await sleepIgnoringCancellation(.milliseconds(200 * attempt)) }
            }
        }
        throw lastError ?? CancellationError()
    }
}
