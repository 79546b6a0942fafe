import APIModel
import Foundation
import Logging
import Scheduling
import ServiceLifecycle

/// What a schedule a policy names besides its backups' (`verify_schedule`, `drill_schedule`)
/// needs of the rest of the daemon: the VMs whose policy has it, when each last ran, and how to
/// run it. The engine's ``VerifySchedule`` and ``DrillSchedule`` are the real ones; tests give a
/// fake.
public protocol PolicyScheduleSource: Sendable {
    /// What the schedule runs, for logs: `verify`, `drill`.
    var work: String { get }
    /// The VMs libvirt knows whose rule names a policy with this schedule.
    func scheduledVMs() async throws -> [ScheduledVM]
    /// The schedule in `policy`, if it has one.
    func schedule(of policy: BackupPolicy) -> CalendarExpression?
    /// When the work last ran for the VM; `nil` when it never did.
    func lastRun(vmUUID: String) async -> Date?
    /// Runs the work for the VM; returns once it has finished (or the task is cancelled).
    func run(_ vm: ScheduledVM) async
}

/// Starts the work of a policy's schedule for each of its VMs: when the schedule fires (a
/// verify of the backups not verified lately, a restore drill of the newest backup), one run per
/// VM. Looks at the VMs again at least every `refreshInterval`; a run missed while the daemon was
/// down runs once at start. A VM whose run of last time is still going is skipped.
///
/// A service of the daemon's group, like ``BackupScheduler``, with an injected clock and `now`.
public actor PolicyScheduler: Service {
    private let source: any PolicyScheduleSource
    private let logger: Logger
    private let refreshInterval: Duration
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private var plan = SchedulePlan()
    /// The VMs whose run is under way.
    private var running: Set<String> = []

    public init(
        source: any PolicyScheduleSource, logger: Logger, refreshInterval: Duration = .seconds(30),
        clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.clock = clock
        self.now = now
    }

    /// Runs until the task is cancelled or the group shuts down gracefully; the runs under way
    /// are cancelled with it.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    for vm in await self.dueRuns() {
                        group.addTask { await self.start(vm) }
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
        return plan.due(at: now()).compactMap { run in
            guard let vm = plan.vms[run.entry.id] else { return nil }
            guard !running.contains(vm.uuid) else {
                logger.warning(
                    "scheduled \(source.work) skipped: the last run is still going", metadata: ["vm.name": "\(vm.name)"]
                )
                return nil
            }
            running.insert(vm.uuid)
            return vm
        }
    }

    private func wait() -> Duration {
        plan.wait(at: now(), refreshInterval: refreshInterval)
    }

    private func start(_ vm: ScheduledVM) async {
        logger.info("scheduled \(source.work) started", metadata: ["vm.name": "\(vm.name)"])
        await source.run(vm)
        running.remove(vm.uuid)
    }

    /// The next scheduled run of each VM that has one, by UUID.
    public func nextRuns() -> [String: Date] {
        plan.vms.keys.reduce(into: [:]) { result, uuid in result[uuid] = plan.plannedRun(for: uuid) }
    }

    /// Reads the VMs with this schedule, and plans each.
    public func refresh() async {
        let now = self.now()
        let found: [ScheduledVM]
        do {
            found = try await source.scheduledVMs()
        } catch {
            logger.warning(
                "cannot list the VMs to \(source.work) on schedule; keeping the last plan",
                metadata: ["error": "\(error)"])
            // No plan until the VMs are listed once: the first plan is the one that catches up.
            return
        }
        var entries: [ScheduleEntry] = []
        var lastRuns: [String: Date] = [:]
        for vm in found {
            guard let expression = source.schedule(of: vm.policy) else { continue }
            entries.append(ScheduleEntry(id: vm.uuid, expression: expression, randomizedDelay: .zero))
            if let last = await source.lastRun(vmUUID: vm.uuid) { lastRuns[vm.uuid] = last }
        }
        plan.update(found, entries: entries, lastRuns: lastRuns, at: now)
    }
}
