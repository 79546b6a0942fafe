import ArgumentParser
import Catalog
import Config
import ControlAPI
import DaemonLogging
import Engine
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Snapshots
import Targets

/// `vmbackupd`: the backup daemon. One ServiceGroup holds the job engine and the socket API.
@main
struct VMBackupDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmbackupd",
        abstract: "Backs up libvirt/KVM guests; serves its API on a Unix socket.",
        version: BackupEngine.version)

    @Option(help: "The config file (TOML). Flags override its settings.")
    var config: String?

    @Option(help: "The Unix socket of the API. (default: /run/vmbackup/vmbackupd.sock)")
    var socket: String?

    @Option(name: .customLong("state-dir"), help: "Where the daemon keeps its state. (default: /var/lib/vmbackup)")
    var stateDirectory: String?

    @Option(name: .customLong("target-dir"), help: "The directory target's root. (default: <state-dir>/backups)")
    var targetDirectory: String?

    @Option(name: .customLong("libvirt-uri"), help: "The libvirt connection. (default: qemu:///system)")
    var libvirtURI: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Flag(
        name: .customLong("check-config"),
        help: ArgumentHelp(
            "Check the config file (PATH, else --config), report every problem, and exit.",
            discussion: "With --libvirt-uri, also warn about [[vm]] rules that select no domain there."))
    var checkConfig = false

    @Flag(
        name: .customLong("rebuild-catalog"),
        help: "Rebuild the catalog from the manifests on the target, report what was found, and exit.")
    var rebuildCatalog = false

    @Argument(help: "With --check-config: the config file to check.")
    var checkPath: String?

    func validate() throws {
        if checkPath != nil && !checkConfig {
            throw ValidationError("a PATH argument goes with --check-config only")
        }
    }

    func run() async throws {
        let settings: DaemonConfig
        do {
            settings = try resolveConfig(path: checkPath ?? config)
        } catch let invalid as InvalidConfiguration {
            throw invalid.exit()
        }
        if checkConfig {
            try ConfigCheck.report(path: checkPath ?? config, settings: settings, libvirtURI: libvirtURI)
            return
        }
        // One daemon per state directory: the lock comes before anything that reads or changes
        // the catalog, a guest, a target or the socket. Held until the process ends.
        try FileManager.default.createDirectory(atPath: settings.stateDirectory, withIntermediateDirectories: true)
        let lock = try StateDirectoryLock(directory: settings.stateDirectory)
        defer { withExtendedLifetime(lock) {} }
        try await serve(settings: settings, identity: DaemonIdentity.load(stateDirectory: settings.stateDirectory))
    }

    /// Everything after the state directory is locked: recovery, the sweep, the catalog, the API.
    private func serve(settings: DaemonConfig, identity: DaemonIdentity) async throws {
        let logFormat = DaemonLogHandler.bootstrap(level: Logger.Level(rawValue: settings.logLevel) ?? .info)
        let logger = Logger(label: "vmbackupd")
        logStart(settings: settings, format: logFormat, logger: logger)
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(DescribedMetricsFactory(registry: metrics))
        let catalogPath = settings.stateDirectory + "/catalog.sqlite"
        let catalog = try BackupCatalog(path: catalogPath)
        let engine = try BackupEngine(
            settings: BackupEngine.Settings(
                libvirtURI: settings.libvirtURI, targets: settings.targets,
                agentTimeoutSeconds: Int32(settings.agentTimeoutSeconds),
                freezeTimeoutSeconds: Int32(settings.freezeTimeoutSeconds), defaultQuiesce: settings.quiesce,
                vmRules: settings.vms,
                lvmSnapshotPolicy: LVMSnapshotPolicy(
                    fraction: Double(settings.lvmSnapshotPercent) / 100,
                    minimumBytes: UInt64(settings.lvmSnapshotMinimumMiB) << 20),
                policies: settings.policies, maxConcurrentJobs: settings.maxConcurrentJobs,
                timeZone: settings.timeZone, taskHistoryDays: settings.taskHistoryDays,
                stateDirectory: settings.stateDirectory,
                exportSocketFolder: URL(fileURLWithPath: settings.socketPath).deletingLastPathComponent().path + "/nbd",
                sendmailPath: settings.sendmailPath),
            catalog: catalog, identity: identity, logger: logger)
        if rebuildCatalog {
            let reports = try await engine.rebuildCatalog()
            for (report, target) in zip(reports, settings.targets) {
                print(
                    "catalog \(catalogPath) rebuilt from target \(report.target) (\(target.directory)): "
                        + "\(report.recorded) backups of \(report.vms) VMs (\(report.added) added, "
                        + "\(report.dropped) dropped)")
            }
            return
        }
        // Undo what backups interrupted by a crash left (a frozen guest, snapshots, partial
        // folders) before anything else touches the guests or the targets.
        let recovery = await engine.recover()
        await engine.sweepTargets()
        // No export survives a restart: what an earlier run left serving is stopped.
        await engine.exportRegistry.removeLeftovers()
        if !recovery.unresolved.isEmpty {
            SystemdNotifier.notify(
                "STATUS=\(recovery.unresolved.count) interrupted backup(s) not recovered; see the log")
        }
        // The targets are the truth: index what they hold now (a backup published just before a
        // crash, a state folder new beside an old target). A target that cannot be read keeps its
        // last index.
        do {
            try await engine.rebuildCatalog()
        } catch {
            logger.error("cannot index a target; listing what the catalog had", metadata: ["error": "\(error)"])
        }
        // The state gauges (last success, stored backups, ...) are there before the socket answers.
        await engine.refreshMetrics()
        let scheduler = BackupScheduler(source: engine, logger: logger)
        // Picks up a reloaded config at its next refresh, within 30 seconds.
        let verifyScheduler = PolicyScheduler(source: VerifySchedule(engine: engine), logger: logger)
        let drillScheduler = PolicyScheduler(source: DrillSchedule(engine: engine), logger: logger)
        let limits = connectionLimits(settings, logger: logger)
        let server = ControlServer(
            socketPath: settings.socketPath,
            controller: EngineController(engine: engine, scheduler: scheduler, metricsRegistry: metrics),
            limits: limits,
            logger: logger,
            onListening: {
                logger.info(
                    "vmbackupd ready",
                    metadata: [
                        "socket": "\(settings.socketPath)",
                        "api.max_connections": "\(limits.maxConnections)",
                        "targets": "\(settings.targets.map { "\($0.name)=\($0.directory)" }.joined(separator: ","))",
                    ])
                SystemdNotifier.notify("READY=1")
            })
        let api = try server.makeApplication()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Shut down in reverse order: the API stops taking requests, housekeeping and the
                // schedule stop, the exports stop, then the runner cancels the jobs and waits
                // until each has cleaned up.
                services: [
                    .init(service: engine.runner),
                    // Merges back what a finished backup left when its domain starts; stops the
                    // backups of a domain that is undefined.
                    .init(service: DomainEventService(engine: engine)),
                    .init(service: engine.exportRegistry),
                    .init(service: scheduler),
                    .init(service: verifyScheduler),
                    .init(service: drillScheduler),
                    .init(service: EngineService(engine: engine, logger: logger)),
                    .init(
                        service: ConfigReloadService(reload: {
                            await reload(engine: engine, scheduler: scheduler, logger: logger)
                        })),
                    .init(service: api),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        await engine.shutdown()
        logger.notice("vmbackupd stopped: graceful shutdown finished")
        SystemdNotifier.notify("STOPPING=1")
    }

    /// The API's connection limit and idle timeout: as configured, the limit at most half the
    /// open-file limit (`LimitNOFILE=`), so that clients never take the descriptors jobs need.
    private func connectionLimits(_ settings: DaemonConfig, logger: Logger) -> ConnectionLimits {
        let fileLimit = ConnectionLimits.processFileLimit()
        let maxConnections = ConnectionLimits.maxConnections(
            configured: settings.apiMaxConnections, fileLimit: fileLimit)
        if maxConnections.lowered {
            logger.warning(
                "[api] max_connections lowered to half of the open-file limit; raise LimitNOFILE= to allow more",
                metadata: [
                    "api.max_connections": "\(maxConnections.value)", "nofile": "\(fileLimit.map(String.init) ?? "-")",
                ])
        }
        return ConnectionLimits(
            maxConnections: maxConnections.value, idleTimeout: .seconds(settings.apiIdleTimeoutSeconds))
    }

    /// SIGHUP: reads the config file again. A bad file changes nothing: the daemon keeps the
    /// settings it has and logs every problem.
    private func reload(engine: BackupEngine, scheduler: BackupScheduler, logger: Logger) async {
        guard let config else {
            logger.notice("SIGHUP: no config file to reload (started without --config)")
            return
        }
        do {
            // The flags the daemon was started with still win over the file.
            let settings = try resolveConfig(path: config)
            let before = engine.settings
            try engine.reload(
                vmRules: settings.vms, policies: settings.policies, defaultQuiesce: settings.quiesce,
                maxConcurrentJobs: settings.maxConcurrentJobs, targets: settings.targets,
                taskHistoryDays: settings.taskHistoryDays)
            await scheduler.refresh()
            let changed = ReloadChanges.between(before, engine.settings)
            logger.notice(
                changed.isEmpty ? "configuration reloaded: unchanged" : "configuration reloaded",
                metadata: [
                    "config": "\(config)", "changed": "\(changed.isEmpty ? "-" : changed.joined(separator: ","))",
                ])
            SystemdNotifier.notify("STATUS=configuration reloaded")
        } catch {
            logger.error(
                "configuration not reloaded; keeping the previous one",
                metadata: ["config": "\(config)", "problems": "\(error)"])
        }
    }

    /// Defaults, then the config file, then the flags.
    private func resolveConfig(path: String?) throws -> DaemonConfig {
        var settings = DaemonConfig()
        if let path {
            do {
                settings = try DaemonConfig.load(path: path)
            } catch {
                throw InvalidConfiguration(problems: error)
            }
        }
        if let socket { settings.socketPath = socket }
        if let stateDirectory { settings.stateDirectory = stateDirectory }
        if let targetDirectory { settings.targetDirectory = targetDirectory }
        if let libvirtURI { settings.libvirtURI = libvirtURI }
        if let logLevel {
            guard DaemonConfig.logLevels.contains(logLevel) else {
                throw ValidationError("--log-level must be one of \(DaemonConfig.logLevels.joined(separator: ", "))")
            }
            settings.logLevel = logLevel
        }
        return settings
    }
}
