import APIModel
import Foundation

/// What `vmbackup status` prints: the daemon, its running and queued tasks, and its schedule.
///
/// ```
/// version:  0.1.0
/// ...
/// tasks:    1 running, 0 queued
///
/// active tasks:
///   TASK  KIND    VM     CREATED              STATE                   PROGRESS
///   T3    backup  web01  2026-11-22 01:30:00  running: streaming vda  45%  1.2 GiB / 2.7 GiB
///
/// schedule:
///   VM     POLICY   TARGET   SCHEDULE        NEXT RUN             LAST RUN
///   db01   minute   default  *-*-* *:*:00    2026-11-22 01:31:00  failed 2m ago
///   web01  nightly  default  *-*-* 02:00:00  2026-11-23 02:07:13  2026-11-22 02:03:55
///
/// last backups that failed:
///   db01: failed 2m ago at step freeze (task 5e2f8a1b-...): the agent of db01 does not answer (agent_unavailable)
/// ```
struct StatusReport {
    var status: DaemonStatus
    /// The time "2m ago" counts from.
    var now = Date()

    func rendered() -> String {
        let fields = [
            ("version", status.version),
            ("started", DisplayDate.format(status.started)),
            ("libvirt", status.libvirtURI),
            ("targets", targetList),
            ("tasks", "\(status.runningTasks) running, \(status.queuedTasks) queued"),
        ]
        var text = FieldList.render(fields)
        if let problems = status.unresolvedRecoveries, !problems.isEmpty {
            text +=
                "\nNOT RECOVERED (interrupted jobs left these; vmbackupd retries backups' leftovers before each "
                + "backup of the VM; a half-written restore waits for the next restore of the VM):\n"
            text += problems.map { "  " + $0 + "\n" }.joined()
        }
        if let thaws = status.pendingThaws, !thaws.isEmpty {
            text +=
                "\nMAY STILL BE FROZEN (the guest agent left a freeze or thaw unanswered; vmbackupd keeps trying to "
                + "thaw, and backs these VMs up without a freeze meanwhile; if the agent stays stuck, restart the "
                + "guest):\n" + pendingThawTable
        }
        if !status.active.isEmpty {
            text += "\nactive tasks:\n" + activeTable
        }
        text +=
            status.schedule.isEmpty ? "\nschedule: no VM is backed up on a schedule\n" : "\nschedule:\n" + scheduleTable
        let failures = failureLines
        if !failures.isEmpty {
            text += "\nlast backups that failed:\n" + failures.map { "  " + $0 + "\n" }.joined()
        }
        return text
    }

    /// `default /var/lib/vmbackup/backups (2 jobs at once), offsite /mnt/offsite (1 job at once)`.
    var targetList: String {
        guard let targets = status.targets, !targets.isEmpty else { return status.targetDirectory }
        return targets.map { target in
            let jobs = target.maxConcurrentJobs == 1 ? "1 job" : "\(target.maxConcurrentJobs) jobs"
            return "\(target.name) \(target.directory) (\(jobs) at once)"
        }.joined(separator: ", ")
    }

    /// The guests that may still be frozen, one row each.
    var pendingThawTable: String {
        let rows = (status.pendingThaws ?? []).map { thaw in
            [
                thaw.vmName, DisplayDate.format(thaw.since), "\(thaw.attempts)",
                thaw.lastError ?? thaw.reason,
            ]
        }
        return TextTable.render(header: ["VM", "SINCE", "THAW TRIES", "LAST PROBLEM"], rows: rows, indent: 2)
    }

    /// The running and queued tasks, one row each.
    var activeTable: String {
        let rows = status.active.map { task in
            [
                task.id, task.kind, task.vm, DisplayDate.format(task.created), task.displayedState,
                task.displayedProgress ?? "-",
            ]
        }
        return TextTable.render(
            header: ["TASK", "KIND", "VM", "CREATED", "STATE", "PROGRESS"], rows: rows, indent: 2)
    }

    /// The scheduled VMs, one row each; `-` for a run not known.
    var scheduleTable: String {
        let rows = status.schedule.map { entry in
            [
                entry.vmName, entry.policy, entry.target ?? TargetSettings.defaultName, entry.schedule,
                entry.nextRun.map(DisplayDate.format) ?? "-", lastRun(entry),
            ]
        }
        return TextTable.render(
            header: ["VM", "POLICY", "TARGET", "SCHEDULE", "NEXT RUN", "LAST RUN"], rows: rows, indent: 2)
    }

    /// The last backup that made a backup, or `failed 2m ago` when a later one failed (or was
    /// cancelled); `-` for none known.
    func lastRun(_ entry: DaemonStatus.ScheduledVM) -> String {
        if let failure = failure(of: entry) {
            return "\(failure.state.rawValue) \(ElapsedTime.ago(failure.finished, now: now))"
        }
        return entry.lastRun.map(DisplayDate.format) ?? "-"
    }

    /// The VM's last backup task when it did not succeed and came after its last backup.
    func failure(of entry: DaemonStatus.ScheduledVM) -> TaskResult? {
        guard let last = entry.lastBackupTask, last.state != .succeeded else { return nil }
        if let lastRun = entry.lastRun, lastRun > last.finished { return nil }
        return last
    }

    /// One line for each scheduled VM whose last backup failed: when, at which step, why.
    var failureLines: [String] {
        status.schedule.compactMap { entry in
            guard let failure = failure(of: entry) else { return nil }
            var line = "\(entry.vmName): \(failure.state.rawValue) \(ElapsedTime.ago(failure.finished, now: now))"
            if let step = failure.failedStep { line += " at step \(step)" }
            if let taskID = failure.taskID { line += " (task \(taskID))" }
            if let error = failure.error { line += ": \(error.message) (\(error.code.rawValue))" }
            return line
        }
    }
}
