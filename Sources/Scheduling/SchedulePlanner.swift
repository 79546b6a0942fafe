import Foundation

/// Decides when each VM's scheduled backup runs, from its schedule, its last run and the current time.
///
/// A value the daemon holds and feeds with `now`: no clock and no timers inside. At each wake-up the
/// daemon calls `due(at:)`, starts the runs it returns and sleeps until `nextWake`.
///
/// Runs that fall while the daemon is down are caught up as with systemd's `Persistent=true`: when an
/// entry's first run after its last run is already past at start, the entry is due at once, a single
/// time however many runs were missed. An entry without a last run is not behind: it waits for its
/// first run after the start. Waking late (a suspended host) likewise yields one run, not one per
/// elapse slept through.
public struct SchedulePlanner: Sendable {
    private struct Slot: Sendable {
        var entry: ScheduleEntry
        /// The last run: from the catalog at first, then each time the entry is found due.
        var lastRun: Date?
        /// The next run, or `nil` when the expression never elapses again.
        var plannedRun: Date?
        /// `plannedRun` was already past when it was planned.
        var isMissed: Bool

        /// Plans `entry` at `now`: from its last run when `catchingUp` (a run missed while the
        /// daemon was down is then due at once), else from `now`.
        init(entry: ScheduleEntry, lastRun: Date?, at now: Date, catchingUp: Bool) {
            self.entry = entry
            self.lastRun = lastRun
            guard let lastRun, catchingUp else {
                plannedRun = SchedulePlanner.nextRun(for: entry, after: now)
                isMissed = false
                return
            }
            // A last run in the future (the clock was stepped back) counts as now.
            plannedRun = SchedulePlanner.nextRun(for: entry, after: min(lastRun, now))
            isMissed = plannedRun.map { $0 < now } ?? false
        }
    }

    private var slots: [String: Slot] = [:]

    /// Plans every entry at the daemon's start.
    ///
    /// - Parameters:
    ///   - lastRuns: each VM's last scheduled or manual run, by entry id, as the catalog knows it; a VM
    ///     missing here has never run.
    ///   - startedAt: when the daemon started.
    public init(entries: [ScheduleEntry], lastRuns: [String: Date], startedAt: Date) {
        for entry in entries where slots[entry.id] == nil {
            slots[entry.id] = Slot(entry: entry, lastRun: lastRuns[entry.id], at: startedAt, catchingUp: true)
        }
    }

    /// The entries, by id.
    public var entries: [ScheduleEntry] { slots.values.map(\.entry).sorted { $0.id < $1.id } }

    /// The next run planned for the entry `id`, or `nil` when there is none.
    public func plannedRun(for id: String) -> Date? { slots[id]?.plannedRun }

    /// The soonest planned run of any entry: when the daemon should wake up next.
    public var nextWake: Date? { slots.values.compactMap(\.plannedRun).min() }

    /// The runs due at `now`, which the daemon starts; plans each entry's next run after `now`.
    public mutating func due(at now: Date) -> ScheduleDecision {
        var runs: [ScheduledRun] = []
        for (id, slot) in slots {
            guard let planned = slot.plannedRun, planned <= now else { continue }
            runs.append(ScheduledRun(entry: slot.entry, plannedAt: planned, isMissed: slot.isMissed))
            slots[id]?.lastRun = now
            slots[id]?.plannedRun = Self.nextRun(for: slot.entry, after: now)
            slots[id]?.isMissed = false
        }
        runs.sort { ($0.plannedAt, $0.entry.id) < ($1.plannedAt, $1.entry.id) }
        return ScheduleDecision(due: runs, nextWake: nextWake)
    }

    /// Takes a new set of entries (a configuration reload, or VMs defined since, at `now`). An entry
    /// whose schedule is unchanged keeps its plan; a new or changed one is planned from `now`: only
    /// runs missed while the daemon was down are caught up, so a reload that adds an hourly schedule
    /// waits for the next hour instead of starting a run at once.
    public mutating func replaceEntries(_ entries: [ScheduleEntry], lastRuns: [String: Date] = [:], at now: Date) {
        var replaced: [String: Slot] = [:]
        for entry in entries {
            if let slot = slots[entry.id], slot.entry == entry {
                replaced[entry.id] = slot
            } else {
                let lastRun = slots[entry.id]?.lastRun ?? lastRuns[entry.id]
                replaced[entry.id] = Slot(entry: entry, lastRun: lastRun, at: now, catchingUp: false)
            }
        }
        slots = replaced
    }

    /// The first run of `entry` strictly after `date`: the earliest elapse `E` of its expression with
    /// `E + fixedDelay > date`, plus `fixedDelay`; `nil` when the expression never elapses again.
    public static func nextRun(for entry: ScheduleEntry, after date: Date) -> Date? {
        let (seconds, attoseconds) = entry.fixedDelay.components
        let delay = TimeInterval(seconds) + TimeInterval(attoseconds) * 1e-18
        return entry.expression.nextElapse(after: date.addingTimeInterval(-delay))?.addingTimeInterval(delay)
    }
}
