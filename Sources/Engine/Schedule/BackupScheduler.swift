import APIModel
import Foundation
import Libvirt
import Logging
import Scheduling

/// Starts each VM's scheduled backups: the VMs libvirt knows whose `[[vm]]` rule names a policy
/// with a `schedule`. Looks at libvirt's domains again at least every `refreshInterval`, so VMs
/// defined later and reloaded configs are picked up; a missed run (the daemon was down) runs once
/// at start. A VM whose backup is still running when its next run comes is skipped that time.
public actor BackupScheduler {
    private let engine: BackupEngine
    private let logger: Logger
    private let refreshInterval: Duration
    private var planner: SchedulePlanner?
    /// The scheduled VMs by UUID: their name and policy.
    private var scheduled: [String: (name: String, policy: BackupPolicy)] = [:]

    public init(engine: BackupEngine, logger: Logger, refreshInterval: Duration = .seconds(30)) {
        self.engine = engine
        self.logger = logger
        self.refreshInterval = refreshInterval
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await refresh()
            let now = Date()
            guard var planner else { return }
            let decision = planner.due(at: now)
            self.planner = planner
            for run in decision.due {
                await start(run)
            }
            let soonest = decision.nextWake.map { $0.timeIntervalSince(Date()) } ?? .infinity
            let refresh = Double(refreshInterval.components.seconds)
            let wait = max(0.2, min(soonest, refresh))
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }

    /// Every scheduled VM with its next and last run, soonest first.
    public func entries() async -> [DaemonStatus.ScheduledVM] {
        var result: [DaemonStatus.ScheduledVM] = []
        for (uuid, vm) in scheduled {
            let target = vm.policy.target ?? TargetSettings.defaultName
            let last = try? await engine.catalog.lastBackup(vmUUID: uuid, target: target)?.created
            result.append(
                DaemonStatus.ScheduledVM(
                    vmName: vm.name, vmUUID: uuid, policy: vm.policy.name,
                    schedule: vm.policy.schedule?.normalized ?? "-", nextRun: planner?.plannedRun(for: uuid),
                    lastRun: last, target: target))
        }
        return result.sorted {
            ($0.nextRun ?? .distantFuture, $0.vmName) < ($1.nextRun ?? .distantFuture, $1.vmName)
        }
    }

    /// Reads libvirt's domains and the policies, and plans every scheduled VM.
    public func refresh() async {
        let now = Date()
        let settings = engine.settings
        var found: [String: (name: String, policy: BackupPolicy)] = [:]
        do {
            for domain in try await engine.domains() {
                if let policy = settings.policy(forVM: domain.name, uuid: domain.uuid), policy.schedule != nil {
                    found[domain.uuid] = (domain.name, policy)
                }
            }
        } catch {
            logger.warning("cannot list the VMs to schedule; keeping the last plan", metadata: ["error": "\(error)"])
            if planner == nil { planner = SchedulePlanner(entries: [], lastRuns: [:], startedAt: now) }
            return
        }
        var entries: [ScheduleEntry] = []
        var lastRuns: [String: Date] = [:]
        for (uuid, vm) in found {
            guard let expression = vm.policy.schedule else { continue }
            entries.append(
                ScheduleEntry(
                    id: uuid, expression: expression, randomizedDelay: .seconds(vm.policy.randomizedDelaySeconds)))
            // A run is missed when the policy's target has nothing since the last elapse; backups
            // made to another target on request do not count.
            let target = vm.policy.target ?? TargetSettings.defaultName
            if let last = try? await engine.catalog.lastBackup(vmUUID: uuid, target: target)?.created {
                lastRuns[uuid] = last
            }
        }
        if planner == nil {
            planner = SchedulePlanner(entries: entries, lastRuns: lastRuns, startedAt: now)
        } else {
            planner?.replaceEntries(entries, lastRuns: lastRuns, at: now)
        }
        scheduled = found
    }

    private func start(_ run: ScheduledRun) async {
        let uuid = run.entry.id
        let name = scheduled[uuid]?.name ?? uuid
        let metadata: Logger.Metadata = ["vm.name": "\(name)", "missed": "\(run.isMissed)"]
        do {
            let task = try await engine.startBackup(vm: uuid, request: BackupRequest())
            logger.info("scheduled backup started", metadata: metadata.merging(["job.id": "\(task.id)"]) { $1 })
        } catch let error as APIErrorInfo where error.code == .vmBusy {
            logger.warning("scheduled backup skipped: a backup of this VM is still running", metadata: metadata)
        } catch {
            logger.error("scheduled backup could not start", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }
}

extension BackupEngine {
    /// The name and UUID of every domain libvirt knows.
    func domains() async throws -> [(name: String, uuid: String)] {
        let uri = settings.libvirtURI
        return try await executor.run {
            let connection = try LibvirtConnection(uri: uri)
            return try connection.listDomainNames().compactMap { name in
                guard let domain = try? connection.lookupDomain(name) else { return nil }
                return (name: domain.name, uuid: domain.uuid)
            }
        }
    }
}
