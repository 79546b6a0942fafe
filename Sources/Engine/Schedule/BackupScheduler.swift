import APIModel
import Foundation
import Logging
import Scheduling
import ServiceLifecycle

/// Starts each VM's scheduled backups: the VMs libvirt knows whose `[[vm]]` rule names a policy
/// with a `schedule`. Looks at the VMs again at least every `refreshInterval`, so VMs defined
/// later and reloaded configs are picked up; a missed run (the daemon was down) runs once at
/// start. A VM whose backup is still running when its next run comes is skipped that time.
///
/// A service of the daemon's group. Time comes from an injected clock (for waiting) and `now`
/// (for the calendar), so tests drive it with a manual clock instead of waiting.
public actor BackupScheduler: Service {
    private let source: any ScheduleSource
    private let logger: Logger
    private let refreshInterval: Duration
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private var plan = SchedulePlan()
    /// Each VM's last scheduled backup that could not start, by lowercased UUID: no task keeps it.
    private var refusedStarts: [String: TaskResult] = [:]

    public init(
        source: any ScheduleSource, logger: Logger, refreshInterval: Duration = .seconds(30),
        clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.clock = clock
        self.now = now
    }

    /// Runs until the task is cancelled or the group shuts down gracefully.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    private func loop() async {
        while !Task.isCancelled {
            await tick()
            do {
                try await clock.sleep(for: plan.wait(at: now(), refreshInterval: refreshInterval), tolerance: nil)
            } catch {
                return
            }
        }
    }

    /// Refreshes the plan and starts every run that is due now.
    func tick() async {
        await refresh()
        for run in plan.due(at: now()) {
            await start(run)
        }
    }

    /// Every scheduled VM with its next and last run, soonest first.
    public func entries() async -> [DaemonStatus.ScheduledVM] {
        var result: [DaemonStatus.ScheduledVM] = []
        let lastTasks = await source.lastBackupTasks()
        for (uuid, vm) in plan.vms {
            let candidates = [lastTasks[uuid.lowercased()], refusedStarts[uuid.lowercased()]].compactMap { $0 }
            result.append(
                DaemonStatus.ScheduledVM(
                    vmName: vm.name, vmUUID: uuid, policy: vm.policy.name,
                    schedule: vm.policy.schedule?.normalized ?? "-", nextRun: plan.plannedRun(for: uuid),
                    lastRun: await source.lastBackup(vmUUID: uuid, target: vm.target), target: vm.target,
                    lastBackupTask: candidates.max { $0.finished < $1.finished }))
        }
        return result.sorted {
            ($0.nextRun ?? .distantFuture, $0.vmName) < ($1.nextRun ?? .distantFuture, $1.vmName)
        }
    }

    /// Reads the scheduled VMs and their policies, and plans each.
    public func refresh() async {
        let now = self.now()
        let found: [ScheduledVM]
        do {
            found = try await source.scheduledVMs()
        } catch {
            logger.warning("cannot list the VMs to schedule; keeping the last plan", metadata: ["error": "\(error)"])
            // No plan until the VMs are listed once: the first plan is the one that catches up.
            return
        }
        var entries: [ScheduleEntry] = []
        var lastRuns: [String: Date] = [:]
        for vm in found {
            guard let expression = vm.policy.schedule else { continue }
            entries.append(
                ScheduleEntry(
                    id: vm.uuid, expression: expression, randomizedDelay: .seconds(vm.policy.randomizedDelaySeconds)))
            // A run is missed when the policy's target has nothing since the last elapse; backups
            // made to another target on request do not count.
            if let last = await source.lastBackup(vmUUID: vm.uuid, target: vm.target) {
                lastRuns[vm.uuid] = last
            }
        }
        plan.update(found, entries: entries, lastRuns: lastRuns, at: now)
    }

    private func start(_ run: ScheduledRun) async {
        let uuid = run.entry.id
        let name = plan.vms[uuid]?.name ?? uuid
        let metadata: Logger.Metadata = ["vm.name": "\(name)", "missed": "\(run.isMissed)"]
        do {
            let task = try await source.startScheduledBackup(vmUUID: uuid)
            refusedStarts[uuid.lowercased()] = nil
            logger.info("scheduled backup started", metadata: metadata.merging(["job.id": "\(task.id)"]) { $1 })
        } catch let error as EngineError where error.code == .vmBusy {
            logger.warning("scheduled backup skipped: a backup of this VM is still running", metadata: metadata)
        } catch {
            refusedStarts[uuid.lowercased()] = Self.refusal(error, at: now())
            logger.error("scheduled backup could not start", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// A scheduled backup that could not start, as its VM's last backup task shows it.
    static func refusal(_ error: any Error, at date: Date) -> TaskResult {
        let engineError = error as? EngineError
        let apiError = (error as? any APIErrorConvertible)?.apiError ?? APIErrorInfo(.internal, "\(error)")
        return TaskResult(
            taskID: nil, kind: BackupJob.kind, state: .failed, finished: date, error: apiError,
            failedStep: engineError?.step?.rawValue)
    }
}
