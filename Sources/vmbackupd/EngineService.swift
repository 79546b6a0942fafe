import Engine
import Foundation
import ServiceLifecycle

/// The job engine as a service: runs the schedule until shutdown, and keeps systemd's STATUS line
/// up to date; on graceful shutdown it stops the schedule, cancels running jobs and waits until
/// each has thawed its guest, merged its snapshots and cleaned up.
struct EngineService: Service {
    let engine: BackupEngine
    let scheduler: BackupScheduler

    func run() async throws {
        let schedule = Task { await scheduler.run() }
        let status = Task { await reportStatus() }
        let housekeeping = Task { await forgetOldTasks() }
        try? await gracefulShutdown()
        status.cancel()
        housekeeping.cancel()
        schedule.cancel()
        await schedule.value
        SystemdNotifier.notify("STATUS=stopping: waiting for running backups to clean up")
        await engine.shutdown()
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
