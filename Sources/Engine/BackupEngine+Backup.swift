import APIModel
import Catalog
import Foundation
import Logging
import Scheduling
import Snapshots
import Targets

extension BackupEngine {
    /// Plans a backup of `vm` and hands its job to the runner; returns the queued task.
    ///
    /// Fails at once, before anything is changed, for an unknown VM (`vm_not_found`), a busy VM
    /// (`vm_busy`), a bad request (`bad_request`, `nothing_to_back_up`) and a missing agent
    /// under `quiesce: required` (`agent_unavailable`). A cancel that arrives while the backup is
    /// planned is honoured: the job is cancelled as soon as it is queued.
    public func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo {
        if let name = request.name { try Self.checkBackupName(name, step: .plan) }
        let domain = try await lookup(vm)
        let (info, progress) = try await registry.reserve(
            vmName: domain.name, vmUUID: domain.uuid, kind: BackupJob.kind)
        do {
            try await settleInterruptedBackups(vmName: domain.name, vmUUID: domain.uuid)
            try await checkNoHalfWrittenRestore(vmName: domain.name, vmUUID: domain.uuid)
            // A delete or prune may be merging the backup this one would be stored on.
            if chainEdits.isEditing(vmUUID: domain.uuid) {
                throw EngineError(
                    .vmBusy, "backups of VM \(domain.name) are being deleted or pruned; try again once that is done",
                    step: .plan)
            }
            let settings = self.settings
            var request = request.applying(settings.vmRules, name: domain.name, uuid: domain.uuid)
            let policy = settings.policy(forVM: domain.name, uuid: domain.uuid)
            if request.quiesce == nil { request.quiesce = policy?.quiesce }
            let targetName = request.target ?? policy?.target ?? TargetSettings.defaultName
            let (target, limits) = try destination(targetName, policy: policy, settings: settings)
            // Every line the job writes, planning included, names the job and the VM.
            let jobLogger = logger.with(["vm.name": "\(domain.name)", "job.id": "\(info.id)"])
            let environment = snapshotEnvironment(for: domain, vmName: domain.name, logger: jobLogger)
            let planner = BackupPlanner(
                host: LivePlanningHost(
                    environment: environment, agentTimeoutSeconds: min(settings.agentTimeoutSeconds, 5)),
                defaultQuiesce: settings.defaultQuiesce, pendingThaw: await thawWatch.pending(vmUUID: domain.uuid))
            let planned = try await planner.plan(vmName: domain.name, vmUUID: domain.uuid, request: request)
            let level = request.level ?? policy?.level ?? .full
            let chain = try await chooseChain(
                level, vmUUID: domain.uuid, target: targetName,
                disks: planned.plan.selected, policy: policy)
            // The VM's backups sort by id in the order they were made, even two in one second.
            let newest = (try? await catalog.lastBackup(vmUUID: domain.uuid)).flatMap { $0 }
            let backupID = BackupID.generate(after: newest.flatMap { BackupID(validating: $0.id) })
            let context = LiveBackupEffects.Context(
                plan: planned.plan, domain: domain, domainXML: planned.domainXML, backupID: backupID,
                name: request.name, executor: executor, target: target, targetName: targetName,
                targetDirectory: settings.targets.first { $0.name == targetName }?.directory ?? target.location,
                streamer: streamer, agentTimeoutSeconds: settings.agentTimeoutSeconds,
                freezeTimeoutSeconds: settings.freezeTimeoutSeconds, thawWatch: thawWatch, snapshots: environment,
                progress: progress, catalog: catalog, jobID: info.id, logger: jobLogger, chain: chain,
                tracksChanges: level != .full || (policy?.level ?? .full) != .full)
            let setup = BackupJobStateMachine.Setup(
                quiesce: planned.plan.quiesce, domainRunning: planned.plan.domainRunning,
                agentAvailable: planned.agentAvailable)
            await runner.enqueue(
                JobRunner.Submission(
                    taskID: info.id, vmName: domain.name, limits: limits,
                    job: BackupJob(context: context, setup: setup, engine: self), logger: jobLogger))
            return await registry.info(info.id) ?? info
        } catch {
            await registry.abandon(info.id)
            throw error
        }
    }

    /// The level and parent of a backup of VM `vmUUID` to `target` asked at `level`.
    private func chooseChain(
        _ level: BackupLevel, vmUUID: String, target: String, disks: [SelectedDisk], policy: BackupPolicy?
    ) async throws -> ChainChoice {
        guard level != .full else { return .full }
        let backups: [CatalogBackup]
        let chainBreak: String?
        do {
            backups = try await catalog.backups(vmUUID: vmUUID).filter { $0.target == target }
            chainBreak = try await catalog.chainBreak(vmUUID: vmUUID)
        } catch {
            throw EngineError(catalog: error)
        }
        let limits = ChainChoice.Limits(
            fullEverySeconds: policy?.fullEverySeconds ?? BackupPolicy.defaultFullEverySeconds,
            maxChain: policy?.maxChain ?? BackupPolicy.defaultMaxChain)
        return ChainChoice.choose(
            requested: level, backups: backups, disks: disks, limits: limits, now: Date(), chainBreak: chainBreak)
    }

    /// A full backup of VM `vmUUID` was published: a chain break recorded before it is over.
    func chainStarted(vmUUID: String, logger: Logger) async {
        do {
            try await catalog.clearChainBreak(vmUUID: vmUUID)
        } catch {
            logger.error(
                "cannot clear the VM's chain break; its next backup is a full", metadata: ["error": "\(error)"])
        }
    }

    /// The target named `name` and the limits a job bound for it counts against: the host's, the
    /// target's and, when it has one, the policy's. An unknown name is a `bad_request`.
    private func destination(
        _ name: String, policy: BackupPolicy?, settings: Settings
    ) throws -> (any BackupTarget, [SlotLimit]) {
        guard let target = targets[name], let limit = settings.targets.first(where: { $0.name == name }) else {
            let known = settings.targets.map(\.name).joined(separator: ", ")
            throw EngineError(
                .badRequest, "no target named \(name.debugDescription) (known: \(known))", step: .plan)
        }
        var limits = [SlotLimit.host(settings.maxConcurrentJobs), .target(name, limit.maxConcurrentJobs)]
        if let policy, let policyLimit = policy.maxConcurrentJobs {
            limits.append(.policy(policy.name, policyLimit))
        }
        return (target, limits)
    }
}
