import Blocking
import Foundation
import Libvirt

/// Waits for a freshly booted guest's agent: `guest-ping` until it answers or the time is up,
/// then `guest-get-fsinfo` for the file systems it mounted.
struct GuestAgentProbe: Sendable {
    let domain: Domain
    let executor: BlockingExecutor
    let timeout: Duration

    /// The mount points the agent reports once it answered; `nil` when it did not within the
    /// timeout (or the domain stopped running). Throws only when cancelled.
    func waitForAgent() async throws -> [String]? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let domain = self.domain
        while ContinuousClock.now < deadline {
            try Task.checkCancellation()
            let running = (try? await executor.run { try domain.state().isActive }) ?? false
            guard running else { return nil }
            let pinged = try? await executor.run {
                try domain.agentCommand(#"{"execute":"guest-ping"}"#, timeoutSeconds: 5)
            }
            if pinged != nil {
                let info = try? await executor.run {
                    try domain.agentCommand(#"{"execute":"guest-get-fsinfo"}"#, timeoutSeconds: 10)
                }
                return Self.mountPoints(fromFSInfo: info ?? "")
            }
            try await Task.sleep(for: .seconds(1))
        }
        return nil
    }

    /// The `mountpoint` of each file system in a `guest-get-fsinfo` answer.
    static func mountPoints(fromFSInfo json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let filesystems = object["return"] as? [[String: Any]]
        else { return [] }
        return filesystems.compactMap { $0["mountpoint"] as? String }.sorted()
    }
}
