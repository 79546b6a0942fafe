import APIModel
import Foundation
import LVM
import Libvirt
import Logging
import Snapshots
import Streaming
import Targets

/// The daemon's core: plans backups, runs their jobs, and answers what the API asks.
public final class BackupEngine: Sendable {
    public struct Settings: Sendable {
        public var libvirtURI: String
        public var targetDirectory: String
        /// How long libvirt waits for the guest agent (freeze, thaw, ping).
        public var agentTimeoutSeconds: Int32
        public var defaultQuiesce: QuiescePolicy
        /// Per-VM disk selection, methods and quiesce policy from the config file.
        public var vmRules: [VMRule]

        public init(
            libvirtURI: String = "qemu:///system", targetDirectory: String, agentTimeoutSeconds: Int32 = 10,
            defaultQuiesce: QuiescePolicy = .preferred, vmRules: [VMRule] = []
        ) {
            self.libvirtURI = libvirtURI
            self.targetDirectory = targetDirectory
            self.agentTimeoutSeconds = agentTimeoutSeconds
            self.defaultQuiesce = defaultQuiesce
            self.vmRules = vmRules
        }
    }

    public static let version = "0.1.0"

    public let settings: Settings
    private let target: DirectoryTarget
    private let executor: LibvirtExecutor
    private let registry = TaskRegistry()
    private let streamer: Streamer
    /// Serialises every lvm2 command of the daemon: liblvm2cmd is not thread-safe.
    private let lvm = LVMCommandRunner()
    private let logger: Logger
    private let started = Date()

    public init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.target = try DirectoryTarget(root: settings.targetDirectory)
        self.executor = LibvirtExecutor()
        self.streamer = Streamer(logger: logger)
        self.logger = logger
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
            let request = request.applying(settings.vmRules, name: domain.name, uuid: domain.uuid)
            let (plan, domainXML, agentAvailable) = try await makePlan(domain: domain, request: request)
            let context = LiveBackupEffects.Context(
                plan: plan, domain: domain, domainXML: domainXML, backupID: BackupID.generate(), name: request.name,
                executor: executor, target: target, streamer: streamer,
                agentTimeoutSeconds: settings.agentTimeoutSeconds, lvm: lvm, progress: progress,
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
        await registry.update(taskID) {
            $0.state = .running
            $0.started = Date()
        }
        let registry = self.registry
        let runner = BackupJobRunner(effects: effects, setup: setup, logger: context.logger) { step in
            Task { await registry.update(taskID) { $0.step = step } }
        }
        let result = await runner.run()
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
        switch result.outcome {
        case .succeeded:
            context.logger.info("backup succeeded", metadata: ["backup.id": "\(context.backupID)"])
        case .failed(let error):
            context.logger.error("backup failed", metadata: ["error": "\(error.message)"])
        case .cancelled:
            context.logger.notice("backup cancelled")
        }
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
                try await LVMSnapshot(vmName: domain.name, runner: lvm, logger: logger).check(lvmDisks)
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
    private func lookup(_ vm: String) async throws -> Domain {
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

    /// The UUID of `vm`: looked up in libvirt, or taken as is when it is a UUID the target knows.
    private func vmUUID(_ vm: String) async throws -> String {
        do {
            return try await lookup(vm).uuid
        } catch let error as APIErrorInfo where error.code == .vmNotFound {
            let lowered = vm.lowercased()
            if UUID(uuidString: lowered) != nil, PathSafety.isSafeComponent(lowered),
                FileManager.default.fileExists(atPath: target.root + "/" + lowered)
            {
                return lowered
            }
            throw error
        }
    }

    public func listBackups(vm: String) async throws -> [BackupSummary] {
        let uuid = try await vmUUID(vm)
        do {
            return try target.list(vmUUID: uuid).map { $0.summary() }
        } catch {
            throw APIErrorInfo(.targetFailed, "cannot list the backups of VM \(vm): \(error)")
        }
    }

    public func backup(vm: String, id: String) async throws -> BackupSummary {
        let uuid = try await vmUUID(vm)
        guard PathSafety.isSafeComponent(id), let stored = try target.backup(vmUUID: uuid, id: id) else {
            throw APIErrorInfo(.notFound, "VM \(vm) has no backup \(id)")
        }
        return stored.summary()
    }

    // MARK: Tasks

    public func task(id: String) async throws -> TaskInfo {
        guard let info = await registry.info(id) else {
            throw APIErrorInfo(.taskNotFound, "no task \(id)")
        }
        return info
    }

    public func tasks() async -> [TaskInfo] {
        await registry.all()
    }

    public func cancelTask(id: String) async throws -> TaskInfo {
        let info = try await task(id: id)
        _ = await registry.cancel(id)
        return await registry.info(id) ?? info
    }

    public func status() async -> DaemonStatus {
        DaemonStatus(
            version: Self.version, started: started, libvirtURI: settings.libvirtURI,
            targetDirectory: settings.targetDirectory, runningTasks: await registry.count(in: .running),
            queuedTasks: await registry.count(in: .queued))
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
