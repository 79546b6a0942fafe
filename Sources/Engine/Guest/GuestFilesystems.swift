import Blocking
import Foundation
import Libvirt
import Logging
import Snapshots

/// A guest's filesystems, frozen and thawed through its agent: one place for the backup job, for
/// crash recovery and for the background thaw, so that all three thaw the same way.
///
/// Every call is bounded twice: libvirt is told how long to wait for the agent, and the call
/// itself is given up a little later in case libvirt waits longer (for the agent's lock, held by
/// an earlier call to an agent that hangs). A call given up keeps its thread until libvirt
/// returns; its result is dropped.
struct GuestFilesystems: Sendable {
    /// How a thaw ended.
    enum Thaw: Sendable, Equatable {
        /// The agent thawed this many filesystems (0 when none was frozen).
        case thawed(Int)
        /// The domain has no guest agent channel: nothing can have been frozen through it.
        case noAgent(String)
    }

    /// What `guest-fsfreeze-status` says.
    enum FreezeStatus: String, Sendable, Equatable {
        case thawed, frozen
    }

    let domain: Domain
    let vmName: String
    let executor: BlockingExecutor
    let agentTimeoutSeconds: Int32

    /// How much longer than libvirt's own agent timeout a call may take before it is given up.
    static let margin: Duration = .seconds(3)

    /// Freezes every filesystem of the guest at once (`virDomainFSFreeze`); returns how many.
    /// Throws ``BlockingExecutorError/timedOut(_:)`` when the agent has not answered within
    /// `timeoutSeconds` (and a little more): the guest may then be frozen, now or later.
    func freeze(timeoutSeconds: Int32) async throws -> Int {
        let domain = domain
        return try await executor.run(within: .seconds(Int(timeoutSeconds)) + Self.margin) {
            try domain.setAgentTimeout(seconds: timeoutSeconds)
            return Int(try domain.fsFreeze())
        }
    }

    /// Thaws the guest (`virDomainFSThaw`), trying up to `attempts` times with a short pause
    /// between tries. A domain without an agent channel ends the tries at once with `.noAgent`;
    /// the last try's failure (an agent that does not answer included) is thrown.
    func thaw(attempts: Int, logger: Logger) async throws -> Thaw {
        var lastError: (any Error)?
        for attempt in 1...max(1, attempts) {
            do {
                return .thawed(try await thawOnce())
            } catch let error as LibvirtError where error.isAgentNotConfigured {
                return .noAgent("\(error)")
            } catch {
                lastError = error
                logger.warning(
                    "thaw failed", metadata: ["vm.name": "\(vmName)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt < attempts { await sleepIgnoringCancellation(.milliseconds(200 * attempt)) }
            }
        }
        throw lastError ?? CancellationError()
    }

    private func thawOnce() async throws -> Int {
        let domain = domain
        let timeout = agentTimeoutSeconds
        return try await executor.run(within: .seconds(Int(timeout)) + Self.margin) {
            try domain.setAgentTimeout(seconds: timeout)
            return Int(try domain.fsThaw())
        }
    }

    /// Asks the agent whether the guest's filesystems are frozen (`guest-fsfreeze-status`).
    func status() async throws -> FreezeStatus {
        let domain = domain
        let timeout = agentTimeoutSeconds
        let reply = try await executor.run(within: .seconds(Int(timeout)) + Self.margin) {
            try domain.agentCommand(#"{"execute":"guest-fsfreeze-status"}"#, timeoutSeconds: timeout)
        }
        return try Self.freezeStatus(fromReply: reply)
    }

    /// The status in a `guest-fsfreeze-status` reply, `{"return": "thawed"}`.
    static func freezeStatus(fromReply reply: String) throws -> FreezeStatus {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any],
            let value = object["return"] as? String, let status = FreezeStatus(rawValue: value)
        else {
            throw EngineError(.hypervisorFailed, "the guest agent's freeze status is not one: \(reply)", step: .thaw)
        }
        return status
    }

    /// Thaws, then asks the agent, and throws unless it says the filesystems are thawed: the
    /// guest counts as thawed only on its agent's word. A domain without an agent channel counts
    /// as thawed.
    func thawAndConfirm(attempts: Int, logger: Logger) async throws -> Thaw {
        let thaw = try await self.thaw(attempts: attempts, logger: logger)
        guard case .thawed = thaw else { return thaw }
        let status = try await status()
        guard status == .thawed else {
            throw EngineError(
                .freezeFailed, "the guest agent thawed, yet reports the filesystems \(status.rawValue)", step: .thaw,
                vm: vmName)
        }
        return thaw
    }
}
