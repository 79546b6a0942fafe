import APIModel
import Foundation
import Logging
import Scheduling
import ServiceLifecycle

/// What the verify schedule needs of the rest of the daemon: which VMs have a policy with a
/// `verify_schedule`, when their backups were last verified, and a way to verify those that are
/// due. ``BackupEngine`` is the real one; tests give a fake.
public protocol VerifyScheduleSource: Sendable {
    /// The VMs libvirt knows whose rule names a policy with a verify schedule.
    func verifySchedules() async throws -> [ScheduledVM]
    /// When a backup of the VM was last verified; `nil` when none ever was.
    func lastVerification(vmUUID: String) async -> Date?
    /// Verifies, one after the other, the VM's backups not verified within
    /// `reverifyAfterSeconds`; returns once the last has finished (or the task is cancelled).
    func verifyDueBackups(vmUUID: String, reverifyAfterSeconds: Int) async
}

/// Starts each VM's scheduled verifies: when a policy's `verify_schedule` fires, the backups of
/// its VMs that were not verified within its `reverify_after` are verified, one after the other.
/// Looks at the VMs again at least every `refreshInterval`; a run missed while the daemon was
/// down runs once at start. A VM whose verifies of the last run are still going is skipped.
///
/// A service of the daemon's group, like ``BackupScheduler``, with an injected clock and `now`.
public actor VerifyScheduler: Service {
    private let source: any VerifyScheduleSource
    private let logger: Logger
    private let refreshInterval: Duration
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private var planner: SchedulePlanner?
    /// The scheduled VMs by UUID.
    private var scheduled: [String: ScheduledVM] = [:]
    /// The VMs whose run is under way.
    private var running: Set<String> = []

    public init(
        source: any VerifyScheduleSource, logger: Logger, refreshInterval: Duration = .seconds(30),
        clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.clock = clock
        self.now = now
    }

    /// Runs until the task is cancelled or the group shuts down gracefully; the verifies under
    /// way are cancelled with it.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    for vm in await self.dueRuns() {
                        group.addTask { await self.verify(vm) }
                    }
                    do {
                        try await self.clock.sleep(for: await self.wait(), tolerance: nil)
                    } catch {
                        group.cancelAll()
                        return
                    }
                }
            }
        }
    }

    /// Refreshes the plan and returns the VMs whose run is due now and not under way.
    func dueRuns() async -> [ScheduledVM] {
        await refresh()
        guard var planner else { return [] }
        let decision = planner.due(at: now())
        self.planner = planner
        return decision.due.compactMap { run in
            guard let vm = scheduled[run.entry.id] else { return nil }
            guard !running.contains(vm.uuid) else {
                logger.warning(
                    "scheduled verify skipped: the last run's are still going", metadata: ["vm.name": "\(vm.name)"])
                return nil
            }
            running.insert(vm.uuid)
            return vm
        }
    }

    private func wait() -> Duration {
        let soonest = planner?.nextWake.map { $0.timeIntervalSince(now()) } ?? .infinity
        let refresh = Double(refreshInterval.components.seconds)
        return .milliseconds(Int(max(0.2, min(soonest, refresh)) * 1000))
    }

    private func verify(_ vm: ScheduledVM) async {
        logger.info("scheduled verify started", metadata: ["vm.name": "\(vm.name)"])
        await source.verifyDueBackups(vmUUID: vm.uuid, reverifyAfterSeconds: vm.policy.reverifyAfterSeconds)
        running.remove(vm.uuid)
    }

    /// The next scheduled verify of each VM that has one, by UUID.
    public func nextRuns() -> [String: Date] {
        scheduled.keys.reduce(into: [:]) { result, uuid in result[uuid] = planner?.plannedRun(for: uuid) }
    }

    /// Reads the VMs with a verify schedule, and plans each.
    public func refresh() async {
        let now = self.now()
        let found: [ScheduledVM]
        do {
            found = try await source.verifySchedules()
        } catch {
            logger.warning(
                "cannot list the VMs to verify on schedule; keeping the last plan", metadata: ["error": "\(error)"])
            if planner == nil { planner = SchedulePlanner(entries: [], lastRuns: [:], startedAt: now) }
            return
        }
        var entries: [ScheduleEntry] = []
        var lastRuns: [String: Date] = [:]
        for vm in found {
            guard let expression = vm.policy.verifySchedule else { continue }
            entries.append(ScheduleEntry(id: vm.uuid, expression: expression, randomizedDelay: .zero))
            if let last = await source.lastVerification(vmUUID: vm.uuid) { lastRuns[vm.uuid] = last }
        }
        if planner == nil {
            planner = SchedulePlanner(entries: entries, lastRuns: lastRuns, startedAt: now)
        } else {
            planner?.replaceEntries(entries, lastRuns: lastRuns, at: now)
        }
        scheduled = Dictionary(found.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
