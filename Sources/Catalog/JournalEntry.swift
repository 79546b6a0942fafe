import APIModel
import Foundation

/// How far a backup job got in changing things outside the daemon. Each phase is recorded
/// before the step it names begins, so after a crash the entry says what may need undoing.
public enum JournalPhase: String, Codable, Sendable, CaseIterable {
    /// The partial backup folder may exist on the target.
    case preparing
    /// The guest's filesystems may be frozen.
    case freezing
    /// The guest may be frozen (or, for reflink copies, paused); snapshots may exist.
    case snapshotting
    /// The snapshots exist; the guest may still be frozen.
    case snapshotted
    /// The guest runs thawed; snapshots exist until they are merged or deleted.
    case thawed
    /// Every snapshot is merged or deleted; only the partial folder may be left.
    case released

    /// Whether the guest may be frozen in this phase, for a job that froze it. Entries record
    /// that apart (``JournalEntry/guestMayBeFrozen``): a job that never froze (no agent,
    /// `quiesce: off`, a shut-off domain) goes through these phases too. Entries written before
    /// the flag existed take it from here.
    public var mayBeFrozen: Bool { self == .freezing || self == .snapshotting || self == .snapshotted }
    /// Whether snapshots may exist in this phase.
    public var maySnapshotsExist: Bool { self == .snapshotting || self == .snapshotted || self == .thawed }
}

/// One disk of a journaled job: what recovery needs to find the snapshot its method made.
public struct JournalDisk: Codable, Sendable, Equatable {
    /// The guest-facing name, e.g. `vda`.
    public var target: String
    /// `file` or `block`.
    public var kind: String
    /// The image or device the domain ran on when the job began.
    public var sourcePath: String
    public var format: String
    public var method: SnapshotMethodName

    public init(target: String, kind: String, sourcePath: String, format: String, method: SnapshotMethodName) {
        self.target = target
        self.kind = kind
        self.sourcePath = sourcePath
        self.format = format
        self.method = method
    }
}

/// A backup job in progress, as the journal keeps it until the job has undone everything it
/// changed outside the daemon. A daemon that starts and finds entries recovers them: it thaws
/// the guest, merges or deletes the snapshots and removes the partial folder.
public struct JournalEntry: Codable, Sendable, Equatable {
    /// The task id of the job.
    public var jobID: String
    public var vmUUID: String
    public var vmName: String
    public var backupID: String
    /// The target's name and its folder when the job began.
    public var target: String
    public var targetDirectory: String
    public var disks: [JournalDisk]
    /// How far the snapshots got.
    public var phase: JournalPhase
    /// Whether the job may have left the guest's filesystems frozen: set before a freeze is
    /// tried, cleared once the thaw succeeded. A job that never tries to freeze never sets it,
    /// and its recovery does not thaw.
    public var guestMayBeFrozen: Bool
    public var started: Date
    /// Why the job (or the last recovery) could not undo everything, if it could not.
    public var problem: String?

    public init(
        jobID: String, vmUUID: String, vmName: String, backupID: String, target: String, targetDirectory: String,
        disks: [JournalDisk], phase: JournalPhase = .preparing, guestMayBeFrozen: Bool = false,
        started: Date = Date(), problem: String? = nil
    ) {
        self.jobID = jobID
        self.vmUUID = vmUUID
        self.vmName = vmName
        self.backupID = backupID
        self.target = target
        self.targetDirectory = targetDirectory
        self.disks = disks
        self.phase = phase
        self.guestMayBeFrozen = guestMayBeFrozen
        self.started = started
        self.problem = problem
    }
}

extension JournalEntry {
    enum CodingKeys: String, CodingKey {
        case jobID, vmUUID, vmName, backupID, target, targetDirectory, disks, phase, guestMayBeFrozen, started, problem
    }

    /// Reads an entry; one without `guestMayBeFrozen` (written before the flag existed, and not
    /// migrated) takes it from its phase.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jobID = try container.decode(String.self, forKey: .jobID)
        vmUUID = try container.decode(String.self, forKey: .vmUUID)
        vmName = try container.decode(String.self, forKey: .vmName)
        backupID = try container.decode(String.self, forKey: .backupID)
        target = try container.decode(String.self, forKey: .target)
        targetDirectory = try container.decode(String.self, forKey: .targetDirectory)
        disks = try container.decode([JournalDisk].self, forKey: .disks)
        phase = try container.decode(JournalPhase.self, forKey: .phase)
        guestMayBeFrozen = try container.decodeIfPresent(Bool.self, forKey: .guestMayBeFrozen) ?? phase.mayBeFrozen
        started = try container.decode(Date.self, forKey: .started)
        problem = try container.decodeIfPresent(String.self, forKey: .problem)
    }
}
