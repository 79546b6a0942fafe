import APIModel
import Blocking
import Catalog
import Foundation
import LVM
import Libvirt
import Logging
import Scheduling
import Streaming
import Synchronization
import Targets

/// The daemon's core, a thin facade over its parts: the planner makes each job's plan, the
/// ``JobRunner`` runs every job, the catalog operations answer what the API asks of stored
/// backups, and recovery undoes what interrupted jobs left.
public final class BackupEngine: Sendable {
    public static let version = VMBackupVersion.current

    private let currentSettings: Mutex<Settings>
    /// The settings in force: those given at start, or the last reload's.
    public var settings: Settings { currentSettings.withLock { $0 } }
    /// The targets by name: the config's directory targets.
    let targets: [String: any BackupTarget]
    /// The index of the target's backups.
    let catalog: BackupCatalog
    let executor: BlockingExecutor
    let registry = TaskRegistry()
    /// The VMs whose backups a delete or a prune is changing.
    let chainEdits = ChainEdits()
    /// One recovery of a VM's leftovers at a time: before a backup, or when its domain starts.
    let settling = KeyedLock()
    /// Runs every job; the daemon runs it as a service of its group.
    public let runner: JobRunner
    /// The guests that may still be frozen, thawed in the background.
    let thawWatch: ThawWatch
    /// The stored disks served over NBD (`vmbackup mount`); a service of the daemon's group.
    public let exportRegistry: ExportRegistry
    let streamer: Streamer
    /// Serialises every lvm2 command of the daemon: liblvm2cmd is not thread-safe.
    let lvm = LVMCommandRunner()
    let logger: Logger
    /// Which daemon this is: its partial folders say so, and the start-up sweep removes only
    /// what carries it.
    let identity: DaemonIdentity
    let started = Date()

    public init(settings: Settings, catalog: BackupCatalog, identity: DaemonIdentity, logger: Logger) throws {
        guard settings.targets.contains(where: { $0.name == TargetSettings.defaultName }) else {
            throw EngineError(.internal, "no target named \(TargetSettings.defaultName)")
        }
        self.currentSettings = Mutex(settings)
        self.catalog = catalog
        let executor = BlockingExecutor()
        var targets: [String: any BackupTarget] = [:]
        for target in settings.targets {
            targets[target.name] = try DirectoryTarget(root: target.directory, owner: identity, executor: executor)
        }
        self.targets = targets
        self.identity = identity
        self.executor = executor
        self.streamer = Streamer(logger: logger)
        self.logger = logger
        self.runner = JobRunner(registry: registry, catalog: catalog, logger: logger)
        self.thawWatch = ThawWatch(
            catalog: catalog, executor: executor, libvirtURI: settings.libvirtURI,
            agentTimeoutSeconds: settings.agentTimeoutSeconds, logger: logger)
        self.exportRegistry = ExportRegistry(
            socketFolder: settings.exportSocketFolder, executor: executor, logger: logger)
        runner.observeEnds { [weak self] task, step in await self?.notify(jobEnded: task, step: step) }
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
            throw EngineError(
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

    /// The target named `name`, for a backup the catalog places there; `target_failed` when the
    /// config no longer has it.
    func target(named name: String) throws -> any BackupTarget {
        guard let target = targets[name] else {
            throw EngineError(
                .targetFailed, "the catalog places this backup on target '\(name)', which the config no longer has",
                step: .catalog)
        }
        return target
    }

    /// Stops the libvirt threads; call it once the runner has returned (every job cleaned up).
    /// Exports still served are stopped first.
    public func shutdown() async {
        await thawWatch.stopAll()
        await exportRegistry.stopAll()
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
