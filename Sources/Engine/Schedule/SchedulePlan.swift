import Foundation
import Scheduling

/// What the backup schedule and a policy's verify or drill schedule share: the VMs a schedule
/// covers, the plan of their next runs, and how long to sleep until the next look.
struct SchedulePlan {
    private var planner: SchedulePlanner?
    /// The scheduled VMs by UUID.
    private(set) var vms: [String: ScheduledVM] = [:]

    /// Replaces the VMs and their entries. The first plan is made from `lastRuns` as of the
    /// daemon's start, so runs missed while it was down run once; a later one plans from `now`.
    mutating func update(
        _ found: [ScheduledVM], entries: [ScheduleEntry], lastRuns: [String: Date], at now: Date
    ) {
        if planner == nil {
            planner = SchedulePlanner(entries: entries, lastRuns: lastRuns, startedAt: now)
        } else {
            planner?.replaceEntries(entries, lastRuns: lastRuns, at: now)
        }
        vms = Dictionary(found.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The runs due at `now`, each once; none before the first plan.
    mutating func due(at now: Date) -> [ScheduledRun] {
        guard var planner else { return [] }
        let decision = planner.due(at: now)
        self.planner = planner
        return decision.due
    }

    /// When the VM with `uuid` runs next.
    func plannedRun(for uuid: String) -> Date? { planner?.plannedRun(for: uuid) }

    /// How long to sleep from `now`: until the soonest run, at most `refreshInterval` (VMs and
    /// configs change), at least 0.2 s.
    func wait(at now: Date, refreshInterval: Duration) -> Duration {
        let soonest = planner?.nextWake.map { $0.timeIntervalSince(now) } ?? .infinity
        let refresh = Double(refreshInterval.components.seconds)
        return .milliseconds(Int(max(0.2, min(soonest, refresh)) * 1000))
    }
}
