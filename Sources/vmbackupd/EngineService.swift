import Engine
import Foundation
import Logging
import ServiceLifecycle

/// The engine's housekeeping as a service: forgets old tasks and keeps systemd's STATUS line up
/// to date until shutdown. The scheduler and the job runner are services of their own; the group
/// shuts this one down before them.
struct EngineService: Service {
    let engine: BackupEngine
    let logger: Logger

    func run() async throws {
        let status = Task { await reportStatus() }
        let housekeeping = Task { await forgetOldTasks() }
        try? await gracefulShutdown()
        status.cancel()
        housekeeping.cancel()
        let now = await engine.status()
        logger.notice(
            "graceful shutdown begun: running jobs clean up, queued jobs are cancelled",
            metadata: ["jobs.running": "\(now.runningTasks)", "jobs.queued": "\(now.queuedTasks)"])
        SystemdNotifier.notify("STATUS=stopping: waiting for running backups to clean up")
    }

    /// Forgets old finished tasks at start and every ten minutes after.
    private func forgetOldTasks() async {
        while !Task.isCancelled {
            await engine.forgetOldTasks()
            try? await Task.sleep(for: .seconds(600))
        }
    }

    /// Sends `STATUS=` (shown by `systemctl status`) whenever the running or queued jobs change.
    private func reportStatus() async {
        var last = ""
        while !Task.isCancelled {
            let status = await engine.status()
            let line =
                status.runningTasks == 0 && status.queuedTasks == 0
                ? "idle"
                : "\(status.runningTasks) backup(s) running, \(status.queuedTasks) queued: "
                    + status.active.map(\.vm).joined(separator: ", ")
            if line != last {
                SystemdNotifier.notify("STATUS=\(line)")
                last = line
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }
}

extension EngineService: CustomStringConvertible {
    /// How ServiceLifecycle's own log lines name the service.
    var description: String { "EngineService" }
}
