import APIModel
import Foundation

/// A restore job in progress, as the restore journal keeps it: written before the first byte of
/// a disk is written, so that a crash leaves a record of what may be half-written.
///
/// At the next start, what a restore to new files or a new domain made is removed (it was never
/// handed over); a disk written in place cannot be undone, so its entry stays with the problem
/// named: `vmbackup status` shows it, and the daemon neither starts the domain nor backs it up
/// until a restore of that VM succeeds.
public struct RestoreJournalEntry: Codable, Sendable, Equatable {
    /// One disk being written.
    public struct Disk: Codable, Sendable, Equatable {
        public var target: String
        /// The image file or device written.
        public var path: String
        /// Whether the job created the file (and may remove it).
        public var created: Bool

        public init(target: String, path: String, created: Bool) {
            self.target = target
            self.path = path
            self.created = created
        }
    }

    public var jobID: String
    /// The VM whose backup is restored.
    public var vmUUID: String
    public var vmName: String
    public var backupID: String
    public var mode: RestoreSummary.Mode
    public var disks: [Disk]
    /// Other files the job created (the new domain's NVRAM).
    public var files: [String]
    /// The UUID of the domain the job defined (`--as`), once defined.
    public var definedDomainUUID: String?
    public var started: Date
    /// Why the entry is still open after the job or a recovery, if it is.
    public var problem: String?

    public init(
        jobID: String, vmUUID: String, vmName: String, backupID: String, mode: RestoreSummary.Mode, disks: [Disk],
        files: [String] = [], definedDomainUUID: String? = nil, started: Date = Date(), problem: String? = nil
    ) {
        self.jobID = jobID
        self.vmUUID = vmUUID
        self.vmName = vmName
        self.backupID = backupID
        self.mode = mode
        self.disks = disks
        self.files = files
        self.definedDomainUUID = definedDomainUUID
        self.started = started
        self.problem = problem
    }
}
