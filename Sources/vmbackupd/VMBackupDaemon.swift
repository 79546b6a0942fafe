import ArgumentParser
import Config
import ControlAPI
import Engine
import Foundation
import Logging
import ServiceLifecycle

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

    @Flag(name: .customLong("check-config"), help: "Check the config file, report every problem, and exit.")
    var checkConfig = false

    func run() async throws {
        let settings = try resolveConfig()
        if checkConfig {
            print("\(config ?? "defaults"): ok")
            return
        }
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vmbackupd")
        try FileManager.default.createDirectory(atPath: settings.stateDirectory, withIntermediateDirectories: true)
        let engine = try BackupEngine(
            settings: BackupEngine.Settings(
                libvirtURI: settings.libvirtURI, targetDirectory: settings.effectiveTargetDirectory,
                agentTimeoutSeconds: Int32(settings.agentTimeoutSeconds), defaultQuiesce: settings.quiesce,
                vmRules: settings.vms),
            logger: logger)
        let server = ControlServer(
            socketPath: settings.socketPath, controller: EngineController(engine: engine), logger: logger,
            onListening: {
                logger.info(
                    "vmbackupd ready",
                    metadata: ["socket": "\(settings.socketPath)", "target": "\(settings.effectiveTargetDirectory)"])
                SystemdNotifier.notify("READY=1")
            })
        let api = try server.makeApplication()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: EngineService(engine: engine)),
                    .init(service: api),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        SystemdNotifier.notify("STOPPING=1")
    }

    /// Defaults, then the config file, then the flags.
    private func resolveConfig() throws -> DaemonConfig {
        var settings = DaemonConfig()
        if let config {
            do {
                settings = try DaemonConfig.load(path: config)
            } catch {
                throw ValidationError("invalid configuration:\n\(error)")
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
