import APIModel
import Catalog
import Foundation
import LVM
import Libvirt
import Logging
import Scheduling
import Snapshots
import Streaming
import Synchronization
import Targets

/// The daemon's core: plans backups, runs their jobs, and answers what the API asks.
public final class BackupEngine: Sendable {
    public struct Settings: Sendable {
        public var libvirtURI: String
        /// Every target, the default one first; fixed at start.
        public var targets: [TargetSettings]
        /// How long libvirt waits for the guest agent (freeze, thaw, ping).
        public var agentTimeoutSeconds: Int32
        public var defaultQuiesce: QuiescePolicy
        /// Per-VM disk selection, methods and quiesce policy from the config file.
        public var vmRules: [VMRule]
        /// How large thick LVM snapshots are made.
        public var lvmSnapshotPolicy: LVMSnapshotPolicy
        /// `[policy.NAME]` sections by name; `[[vm]]` rules name the one that applies.
        public var policies: [String: BackupPolicy]
        /// How many backups run at once on this host; the others wait, queued. Each target's
        /// and each policy's own limit applies too.
        public var maxConcurrentJobs: Int
        /// The time zone retention buckets backups in (days, weeks, ...).
        public var timeZone: TimeZone
        /// How many days finished tasks are kept in the catalog.
        public var taskHistoryDays: Int

        public init(
            libvirtURI: String = "qemu:///system", targets: [TargetSettings], agentTimeoutSeconds: Int32 = 10,
            defaultQuiesce: QuiescePolicy = .preferred, vmRules: [VMRule] = [],
            lvmSnapshotPolicy: LVMSnapshotPolicy = .init(), policies: [String: BackupPolicy] = [:],
            maxConcurrentJobs: Int = 2, timeZone: TimeZone = .current, taskHistoryDays: Int = 30
        ) {
            self.libvirtURI = libvirtURI
            self.targets = targets
            self.agentTimeoutSeconds = agentTimeoutSeconds
            self.defaultQuiesce = defaultQuiesce
            self.vmRules = vmRules
            self.lvmSnapshotPolicy = lvmSnapshotPolicy
            self.policies = policies
            self.maxConcurrentJobs = maxConcurrentJobs
            self.timeZone = timeZone
            self.taskHistoryDays = taskHistoryDays
        }

        /// The policy of the first rule that selects the VM and names one.
        public func policy(forVM name: String, uuid: String) -> BackupPolicy? {
            guard let rule = vmRules.first(where: { $0.matches(name: name, uuid: uuid) }), let policy = rule.policy
            else { return nil }
            return policies[policy]
        }
    }

    public static let version = "0.1.0"

    private let currentSettings: Mutex<Settings>
    /// The settings in force: those given at start, or the last reload's.
    public var settings: Settings { currentSettings.withLock { $0 } }
    private let slots = JobSlots()
    /// The targets by name.
    let targets: [String: DirectoryTarget]
    /// The index of the target's backups.
    let catalog: BackupCatalog
    let executor: LibvirtExecutor
    private let registry = TaskRegistry()
    private let streamer: Streamer
    /// Serialises every lvm2 command of the daemon: liblvm2cmd is not thread-safe.
    let lvm = LVMCommandRunner()
    let logger: Logger
    /// Which daemon this is: its partial folders say so, and the start-up sweep removes only
    /// what carries it.
    let identity: DaemonIdentity
    private let started = Date()
    public init(settings: Settings, catalog: BackupCatalog, identity: DaemonIdentity, logger: Logger) throws {
        guard settings.targets.contains(where: { $0.name == TargetSettings.defaultName }) else {
            throw APIErrorInfo(.internal, "no target named \(TargetSettings.defaultName)")
        }
        self.currentSettings = Mutex(settings)
        self.catalog = catalog
        var targets: [String: DirectoryTarget] = [:]
        for target in settings.targets {
            targets[target.name] = try DirectoryTarget(root: target.directory, owner: identity)
        }
        self.targets = targets
        self.identity = identity
        self.executor = LibvirtExecutor()
        self.streamer = Streamer(logger: logger)
        self.logger = logger
    }

    /// Takes the VM rules, policies, quiesce default and limits of a reloaded config file. The
    /// libvirt URI and the targets' names and directories stay as they were at start: a file that
    /// adds, removes or moves a target is refused, changing nothing, with a message that says to
    /// restart. Jobs already running keep the limits they started under.
    public func reload(
        vmRules: [VMRule], policies: [String: BackupPolicy], defaultQuiesce: QuiescePolicy, maxConcurrentJobs: Int,
        targets newTargets: [TargetSettings], taskHistoryDays: Int
    ) throws {
        let running = settings.targets
        let moved =
            Set(newTargets.map { "\($0.name)\u{0}\($0.directory)" })
            != Set(running.map { "\($0.name)\u{0}\($0.directory)" })
        if moved {
            throw APIErrorInfo(
                .badRequest,
                "the targets changed (running: \(Self.describe(running)); file: \(Self.describe(newTargets))); "
                    + "restart vmbackupd to add, remove or move a target")
        }
        currentSettings.withLock {
            $0.vmRules = vmRules
            $0.policies = policies
            $0.defaultQuiesce = defaultQuiesce
            $0.maxConcurrentJobs = maxConcurrentJobs
            $0.taskHistoryDays = taskHistoryDays
            $0.targets = running.map { target in newTargets.first { $0.name == target.name } ?? target }
        }
    }

    private static func describe(_ targets: [TargetSettings]) -> String {
        targets.map { "\($0.name)=\($0.directory)" }.joined(separator: ", ")
    }

    // MARK: Backups

    /// Plans a backup of `vm` and starts its job; returns the queued task.
    ///
    /// Fails at once, before anything is changed, for an unknown VM (`vm_not_found`), a busy VM
    /// (`vm_busy`), a bad request (`bad_request`, `nothing_to_back_up`) and a missing agent
    /// under `quiesce: required` (`agent_unavailable`).
    public func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo {
        if let name = request.name, name.count > 200 || name.contains(where: \.isNewline) {
            throw APIErrorInfo(.badRequest, "a backup name must be one line of at most 200 characters")
        }
        let domain = try await lookup(vm)
        let (info, progress) = try await registry.reserve(vmName: domain.name, vmUUID: domain.uuid, kind: "backup")
        do {
            try await settleInterruptedBackups(vmName: domain.name, vmUUID: domain.uuid)
            let settings = self.settings
            var request = request.applying(settings.vmRules, name: domain.name, uuid: domain.uuid)
            let policy = settings.policy(forVM: domain.name, uuid: domain.uuid)
            if request.quiesce == nil { request.quiesce = policy?.quiesce }
            let targetName = request.target ?? policy?.target ?? TargetSettings.defaultName
            let (target, limits) = try destination(targetName, policy: policy, settings: settings)
            let (plan, domainXML, agentAvailable) = try await makePlan(domain: domain, request: request)
            // The VM's backups sort by id in the order they were made, even two in one second.
            let newest = (try? await catalog.lastBackup(vmUUID: domain.uuid)).flatMap { $0 }
            let backupID = BackupID.generate(after: newest.flatMap { BackupID(validating: $0.id) })
            let context = LiveBackupEffects.Context(
                plan: plan, domain: domain, domainXML: domainXML, backupID: backupID, name: request.name,
                executor: executor, target: target, targetName: targetName, targetDirectory: target.root,
                slotLimits: limits, streamer: streamer,
                agentTimeoutSeconds: settings.agentTimeoutSeconds, lvm: lvm,
                lvmPolicy: settings.lvmSnapshotPolicy, progress: progress, catalog: catalog, jobID: info.id,
                logger: logger.with(["vm.name": "\(plan.vmName)", "job.id": "\(info.id)"]))
            let setup = BackupJobStateMachine.Setup(
                quiesce: plan.quiesce, domainRunning: plan.domainRunning, agentAvailable: agentAvailable)
            let job = Task { await self.run(taskID: info.id, context: context, setup: setup) }
            await registry.attach(job, to: info.id)
            return await registry.info(info.id) ?? info
        } catch {
            await registry.abandon(info.id)
            throw error
        }
    }

    private func run(taskID: String, context: LiveBackupEffects.Context, setup: BackupJobStateMachine.Setup) async {
        let effects = LiveBackupEffects(context)
        do {
            try await slots.acquire(context.slotLimits)
        } catch {
            await registry.finish(taskID) { info in
                info.state = .cancelled
                info.error = APIErrorInfo(
                    .cancelled, "the backup of VM \(context.plan.vmName) was cancelled while queued")
            }
            context.logger.notice("backup cancelled while queued")
            return
        }
        await registry.update(taskID) {
            $0.state = .running
            $0.started = Date()
        }
        let registry = self.registry
        let runner = BackupJobRunner(effects: effects, setup: setup, logger: context.logger) { step in
            Task { await registry.update(taskID) { $0.step = step } }
        }
        let jobStarted = ContinuousClock.now
        let result = await runner.run()
        await slots.release(context.slotLimits)
        let resultName: String
        switch result.outcome {
        case .succeeded: resultName = "succeeded"
        case .failed: resultName = "failed"
        case .cancelled: resultName = "cancelled"
        }
        BackupMetrics.recordJob(
            result: resultName, vmName: context.plan.vmName, target: context.targetName,
            duration: ContinuousClock.now - jobStarted,
            bytesWritten: result.backup.map { $0.disks.reduce(0) { $0 + ($1.storedBytes ?? 0) } })
        if case .succeeded = result.outcome, let backup = result.backup {
            await index(vmUUID: backup.vmUUID, id: backup.id, target: context.targetName, logger: context.logger)
            await applyRetention(
                vmName: backup.vmName, vmUUID: backup.vmUUID, target: context.targetName, logger: context.logger)
        }
        await closeJournal(jobID: taskID, leftBehind: await effects.leftBehind, logger: context.logger)
        let window = await effects.freezeWindow
        await registry.finish(taskID) { info in
            info.step = nil
            info.freezeWindowSeconds = window.map {
                Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
            }
            switch result.outcome {
            case .succeeded:
                info.state = .succeeded
                info.result = result.backup
                if let backup = result.backup {
                    info.resultURI = "/v1/vms/\(backup.vmUUID)/backups/\(backup.id)"
                }
            case .failed(let error):
                info.state = .failed
                info.error = error
            case .cancelled:
                info.state = .cancelled
                info.error = APIErrorInfo(.cancelled, "the backup of VM \(context.plan.vmName) was cancelled")
            }
        }
        if let finished = await registry.info(taskID) {
            do {
                try await catalog.saveTask(CatalogTask(finished))
            } catch {
                context.logger.warning("the task is not kept in the catalog", metadata: ["error": "\(error)"])
            }
        }
        switch result.outcome {
        case .succeeded:
            context.logger.info("backup succeeded", metadata: ["backup.id": "\(context.backupID)"])
        case .failed(let error):
            context.logger.error("backup failed", metadata: ["error": "\(error.message)"])
        case .cancelled:
            context.logger.notice("backup cancelled")
        }
    }

    /// The target named `name` and the limits a job bound for it counts against: the host's, the
    /// target's and, when it has one, the policy's. An unknown name is a `bad_request`.
    private func destination(
        _ name: String, policy: BackupPolicy?, settings: Settings
    ) throws -> (DirectoryTarget, [SlotLimit]) {
        guard let target = targets[name], let limit = settings.targets.first(where: { $0.name == name }) else {
            let known = settings.targets.map(\.name).joined(separator: ", ")
            throw APIErrorInfo(.badRequest, "no target named \(name.debugDescription) (known: \(known))")
        }
        var limits = [SlotLimit.host(settings.maxConcurrentJobs), .target(name, limit.maxConcurrentJobs)]
        if let policy, let policyLimit = policy.maxConcurrentJobs {
            limits.append(.policy(policy.name, policyLimit))
        }
        return (target, limits)
    }

    /// The target named `name`, for a backup the catalog places there; `target_failed` when the
    /// config no longer has it.
    func target(named name: String) throws -> DirectoryTarget {
        guard let target = targets[name] else {
            throw APIErrorInfo(
                .targetFailed, "the catalog places this backup on target '\(name)', which the config no longer has")
        }
        return target
    }

    private func makePlan(domain: Domain, request: BackupRequest) async throws -> (BackupPlan, String, Bool) {
        let defaultQuiesce = settings.defaultQuiesce
        let agentTimeout = min(settings.agentTimeoutSeconds, 5)
        let (xml, persistentXML, running) = try await executor.run {
            let state = try domain.state()
            let xml = try domain.xmlDescription()
            let persistent = (try? domain.xmlDescription(inactive: true)) ?? xml
            return (xml, persistent, state != .shutOff && state != .crashed)
        }
        let disks: [DomainDisk]
        do {
            disks = try DomainXML.disks(fromDomainXML: xml)
        } catch {
            throw APIErrorInfo(.hypervisorFailed, "cannot read the disks of VM \(domain.name): \(error)")
        }
        let plan = try BackupPlan.make(
            vmName: domain.name, vmUUID: domain.uuid, disks: disks, domainRunning: running, request: request,
            defaultQuiesce: defaultQuiesce, facts: DiskFacts.probe(disks))
        let lvmDisks = plan.selected.filter { $0.method == .lvm }
        if !lvmDisks.isEmpty {
            do {
                try await LVMSnapshot(
                    vmName: domain.name, runner: lvm, policy: settings.lvmSnapshotPolicy, logger: logger
                ).check(lvmDisks)
            } catch {
                // The method's error already names the VM, the disk and the volume group.
                throw APIErrorInfo(.preconditionFailed, "\(error)")
            }
        }
        var agentAvailable = false
        if running && plan.quiesce != .off {
            agentAvailable =
                (try? await executor.run {
                    _ = try domain.agentCommand(#"{"execute":"guest-ping"}"#, timeoutSeconds: agentTimeout)
                }) != nil
            if !agentAvailable && plan.quiesce == .required {
                throw APIErrorInfo(
                    .agentUnavailable,
                    "VM \(domain.name): the guest agent does not answer and quiesce is required; nothing was changed")
            }
        }
        return (plan, persistentXML, agentAvailable)
    }

    /// Looks up a domain by name or UUID on a fresh connection.
    func lookup(_ vm: String) async throws -> Domain {
        guard !vm.isEmpty, vm.count <= 256, !vm.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw APIErrorInfo(.badRequest, "not a VM name or UUID: \(vm.debugDescription)")
        }
        let uri = settings.libvirtURI
        do {
            return try await executor.run {
                let connection = try LibvirtConnection(uri: uri)
                return try connection.lookupDomain(vm)
            }
        } catch let error as LibvirtError where error.isNoDomain {
            throw APIErrorInfo(.vmNotFound, "no VM named \(vm) on \(uri)")
        } catch let error as LibvirtError {
            throw APIErrorInfo(.hypervisorFailed, "cannot look up VM \(vm) on \(uri): \(error)")
        }
    }

    /// The UUID of `vm`: looked up in libvirt, or in the catalog for a VM that libvirt no longer
    /// has (by its UUID, or by the name its backups were made under).
    func vmUUID(_ vm: String) async throws -> String {
        do {
            return try await lookup(vm).uuid
        } catch let error as APIErrorInfo where error.code == .vmNotFound {
            let known = (try? await catalog.vmUUIDs()) ?? []
            let lowered = vm.lowercased()
            if known.contains(lowered) { return lowered }
            if let uuid = try? await catalog.vmUUID(named: vm) { return uuid }
            throw error
        }
    }

    // MARK: Tasks

    public func task(id: String) async throws -> TaskInfo {
        if let info = await registry.info(id) { return info }
        // A task of an earlier run of the daemon, kept in the catalog.
        if let stored = try? await catalog.task(id: id) {
            var result: BackupSummary?
            if let backupID = stored.resultBackupID, let vmUUID = stored.vmUUID {
                result = try? await catalog.backup(vmUUID: vmUUID, id: backupID)?.summary()
            }
            return stored.info(result: result)
        }
        throw APIErrorInfo(.taskNotFound, "no task \(id)")
    }

    /// The tasks of this run the registry still holds, and the most recent finished tasks the
    /// catalog keeps (those of earlier runs too), oldest first.
    public func tasks() async -> [TaskInfo] {
        let live = await registry.all()
        let ids = Set(live.map(\.id))
        let stored = ((try? await catalog.tasks(limit: Self.listedStoredTasks)) ?? [])
            .filter { !ids.contains($0.id) }.map { $0.info() }
        return (stored + live).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// How many finished tasks from the catalog `tasks()` lists.
    static let listedStoredTasks = 200
    /// How long a finished task stays in memory; after that it is read from the catalog.
    static let finishedTasksInMemory: TimeInterval = 3600

    /// Forgets finished tasks: from memory an hour after they finished, from the catalog after
    /// `taskHistoryDays`. The daemon calls it now and then.
    public func forgetOldTasks(now: Date = Date()) async {
        await registry.forget(finishedBefore: now.addingTimeInterval(-Self.finishedTasksInMemory))
        let cutoff = now.addingTimeInterval(-Double(settings.taskHistoryDays) * 86_400)
        do {
            let removed = try await catalog.removeTasks(finishedBefore: cutoff)
            if removed > 0 {
                logger.info("finished tasks forgotten", metadata: ["tasks": "\(removed)", "before": "\(cutoff)"])
            }
        } catch {
            logger.warning("cannot remove old tasks from the catalog", metadata: ["error": "\(error)"])
        }
    }

    public func cancelTask(id: String) async throws -> TaskInfo {
        let info = try await task(id: id)
        _ = await registry.cancel(id)
        return await registry.info(id) ?? info
    }

    public func status() async -> DaemonStatus {
        DaemonStatus(
            version: Self.version, started: started, libvirtURI: settings.libvirtURI,
            targetDirectory: settings.targets.first?.directory ?? "", runningTasks: await registry.count(in: .running),
            queuedTasks: await registry.count(in: .queued),
            active: await registry.all().filter { $0.state == .running || $0.state == .queued },
            targets: settings.targets, unresolvedRecoveries: await unresolvedRecoveries())
    }

    /// Cancels every running job and waits until each has thawed, merged and cleaned up.
    public func shutdown() async {
        let jobs = await registry.cancelAll()
        if !jobs.isEmpty {
            logger.notice("waiting for running jobs to clean up", metadata: ["jobs": "\(jobs.count)"])
        }
        for job in jobs { await job.value }
        await executor.shutdown()
    }
}

extension Logger {
    func with(_ metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
