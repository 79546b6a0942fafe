import Foundation

/// A guest whose filesystems may still be frozen: a freeze or a thaw went unanswered by its
/// agent. The daemon keeps trying to thaw it in the background, across restarts, until the agent
/// says its filesystems are thawed or the domain stops; meanwhile its backups take no freeze.
public struct PendingThaw: Codable, Sendable, Equatable {
    public var vmName: String
    public var vmUUID: String
    /// When the freeze or thaw went unanswered.
    public var since: Date
    /// Why the guest may still be frozen.
    public var reason: String
    /// How many background thaws were tried.
    public var attempts: Int
    public var lastAttempt: Date?
    /// What the last try got back.
    public var lastError: String?

    public init(
        vmName: String, vmUUID: String, since: Date, reason: String, attempts: Int = 0, lastAttempt: Date? = nil,
        lastError: String? = nil
    ) {
        self.vmName = vmName
        self.vmUUID = vmUUID
        self.since = since
        self.reason = reason
        self.attempts = attempts
        self.lastAttempt = lastAttempt
        self.lastError = lastError
    }
}
