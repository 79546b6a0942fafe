import Foundation

/// What a restore drill found: `TaskInfo.drill` once the drill ended, and the catalog's record.
public struct DrillResult: Codable, Sendable, Equatable {
    public var vm: String
    public var vmUUID: String
    public var backupID: String
    /// When the drill ended.
    public var at: Date
    /// Whether the restored guest's agent answered within the timeout.
    public var ok: Bool
    /// From the request to the agent's first answer.
    public var secondsToAgent: Double?
    /// The file systems the agent reported (`guest-get-fsinfo`).
    public var filesystems: [String]
    /// Why the drill failed.
    public var problem: String?

    public init(
        vm: String, vmUUID: String, backupID: String, at: Date, ok: Bool, secondsToAgent: Double? = nil,
        filesystems: [String] = [], problem: String? = nil
    ) {
        self.vm = vm
        self.vmUUID = vmUUID
        self.backupID = backupID
        self.at = at
        self.ok = ok
        self.secondsToAgent = secondsToAgent
        self.filesystems = filesystems
        self.problem = problem
    }
}
