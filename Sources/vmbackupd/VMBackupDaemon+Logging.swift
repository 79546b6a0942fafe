import Config
import DaemonLogging
import Engine
import Logging

extension VMBackupDaemon {
    /// The first line a daemon logs: what runs, with which config, state and socket.
    func logStart(settings: DaemonConfig, format: LogLineFormat, logger: Logger) {
        logger.notice(
            "vmbackupd starting",
            metadata: [
                "version": "\(BackupEngine.version)", "config": "\(config ?? "-")",
                "state.directory": "\(settings.stateDirectory)", "socket": "\(settings.socketPath)",
                "libvirt.uri": "\(settings.libvirtURI)", "log.level": "\(settings.logLevel)",
                "log.format": "\(format == .journal ? "journal" : "console")",
            ])
    }
}
