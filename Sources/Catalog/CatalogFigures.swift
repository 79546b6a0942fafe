import Foundation

/// What the catalog knows that `/metrics` reports: per VM and target the backups stored, per VM
/// the last successful and failed backup, the last verification and the last drill.
///
/// Read from the catalog at start and at each scrape, so the figures are there after a restart
/// before any job has run. VMs are named as their newest backup names them.
public struct CatalogFigures: Sendable, Equatable {
    /// The backups of one VM on one target.
    public struct Stored: Sendable, Equatable {
        public var vmName: String
        public var target: String
        public var backups: Int
        /// The bytes their images take on the target, as the manifests say.
        public var storedBytes: UInt64

        public init(vmName: String, target: String, backups: Int, storedBytes: UInt64) {
            self.vmName = vmName
            self.target = target
            self.backups = backups
            self.storedBytes = storedBytes
        }
    }

    /// The last check (verification or drill) of one of a VM's backups.
    public struct Check: Sendable, Equatable {
        public var vmName: String
        public var at: Date
        public var ok: Bool

        public init(vmName: String, at: Date, ok: Bool) {
            self.vmName = vmName
            self.at = at
            self.ok = ok
        }
    }

    public var stored: [Stored] = []
    /// Per VM name: when its last successful backup finished (the task's end, else the newest
    /// backup's creation, for backups indexed from a target or whose task was forgotten).
    public var lastSuccess: [String: Date] = [:]
    /// Per VM name: when its last failed backup task finished, as long as the task is kept.
    public var lastFailure: [String: Date] = [:]
    public var lastVerification: [Check] = []
    public var lastDrill: [Check] = []

    public init(
        stored: [Stored] = [], lastSuccess: [String: Date] = [:], lastFailure: [String: Date] = [:],
        lastVerification: [Check] = [], lastDrill: [Check] = []
    ) {
        self.stored = stored
        self.lastSuccess = lastSuccess
        self.lastFailure = lastFailure
        self.lastVerification = lastVerification
        self.lastDrill = lastDrill
    }
}
