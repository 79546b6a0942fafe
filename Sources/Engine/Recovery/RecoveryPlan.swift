import APIModel
import Catalog

/// What recovering one journal entry must do, decided from the entry alone (pure): the steps
/// its job may have left undone, in the order they are undone.
struct RecoveryPlan: Sendable, Equatable {
    /// Resume a domain a reflink copy may have paused (the job died while cloning).
    var resume: Bool
    /// Thaw a guest the job may have frozen; a job that never froze (no agent, `quiesce: off`,
    /// a shut-off domain) is not thawed.
    var thaw: Bool
    /// Merge or delete the snapshots the job's methods find of it.
    var releaseSnapshots: Bool
    /// Whether a domain that is gone leaves something that cannot be undone: snapshots may
    /// exist (and are kept for an operator) or the guest may be frozen.
    var needsDomain: Bool

    init(_ entry: JournalEntry) {
        resume = entry.phase == .snapshotting && entry.disks.contains { $0.method == .reflink }
        thaw = entry.guestMayBeFrozen
        releaseSnapshots = entry.phase.maySnapshotsExist
        needsDomain = entry.phase != .preparing && entry.phase != .released
    }

    init(resume: Bool, thaw: Bool, releaseSnapshots: Bool, needsDomain: Bool) {
        self.resume = resume
        self.thaw = thaw
        self.releaseSnapshots = releaseSnapshots
        self.needsDomain = needsDomain
    }
}

/// The steps of recovering one journal entry that touch the world; each returns what it could
/// not undo, as lines for the operator.
protocol RecoveryEffects: Sendable {
    /// Whether libvirt still has the job's domain.
    func domainExists() async -> Bool
    /// Resumes the domain if it is paused (`plan.resume`) and thaws it (`plan.thaw`).
    func resumeAndThaw(_ plan: RecoveryPlan) async -> [String]
    func releaseSnapshots() async -> [String]
    /// Removes the job's partial backup folder, unless it is another daemon's work.
    func removePartial() async -> [String]
}

/// Carries out a ``RecoveryPlan`` with some ``RecoveryEffects``: guest first (resume, thaw), then
/// snapshots, then the partial folder. A domain that is gone keeps its snapshots and says so.
enum EntryRecovery {
    static func run(_ entry: JournalEntry, with effects: any RecoveryEffects) async -> [String] {
        let plan = RecoveryPlan(entry)
        var problems: [String] = []
        let domainExists = await effects.domainExists()
        if domainExists {
            if plan.resume || plan.thaw { problems += await effects.resumeAndThaw(plan) }
            if plan.releaseSnapshots { problems += await effects.releaseSnapshots() }
        } else if plan.needsDomain {
            problems.append("VM \(entry.vmName) (\(entry.vmUUID)) is not defined any more; its snapshots were kept")
        }
        problems += await effects.removePartial()
        return problems
    }
}
