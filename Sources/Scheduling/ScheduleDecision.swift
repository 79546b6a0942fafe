import Foundation

/// What the planner decided at one moment: the runs to start now, and when to look again.
public struct ScheduleDecision: Sendable, Equatable {
    /// The runs due now, earliest planned first (then by entry id).
    public var due: [ScheduledRun]
    /// The soonest run planned after these: the daemon sleeps until then. `nil` when no entry will
    /// ever run again.
    public var nextWake: Date?

    /// A decision with the runs `due` now and the next wake-up.
    public init(due: [ScheduledRun], nextWake: Date?) {
        self.due = due
        self.nextWake = nextWake
    }
}

/// One run the planner found due.
public struct ScheduledRun: Sendable, Hashable {
    /// The entry to run.
    public var entry: ScheduleEntry
    /// The time the run was planned for: an elapse plus the entry's fixed delay. Before the moment of
    /// the decision when the run was missed or the daemon woke late.
    public var plannedAt: Date
    /// The run was planned before the daemon started (or before the entry last changed) and is
    /// caught up now, once for all the elapses missed.
    public var isMissed: Bool

    /// A run of `entry` planned for `plannedAt`.
    public init(entry: ScheduleEntry, plannedAt: Date, isMissed: Bool) {
        self.entry = entry
        self.plannedAt = plannedAt
        self.isMissed = isMissed
    }
}
