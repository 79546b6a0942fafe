import Foundation
import Metrics

/// What the engine reports through swift-metrics; vmbackupd exports it for Prometheus on
/// `GET /metrics`. Names follow Prometheus conventions: `_total` for counters, base units.
public enum BackupMetrics {
    static let backupsLabel = "vmbackup_backups_total"
    static let bytesWrittenLabel = "vmbackup_bytes_written_total"
    static let jobDurationLabel = "vmbackup_job_duration_seconds"
    static let freezeDurationLabel = "vmbackup_freeze_duration_seconds"
    static let snapshotLifetimeLabel = "vmbackup_snapshot_lifetime_seconds"
    static let lastSuccessLabel = "vmbackup_last_success_timestamp_seconds"
    static let queueDepthLabel = "vmbackup_queue_depth"
    static let runningLabel = "vmbackup_running_jobs"

    /// Histogram buckets by timer: backups take minutes to hours, freezes milliseconds to seconds.
    public static let durationBuckets: [String: [Duration]] = [
        jobDurationLabel: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400].map { .seconds($0) },
        snapshotLifetimeLabel: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400].map { .seconds($0) },
        freezeDurationLabel: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30].map { .milliseconds(Int($0 * 1000)) },
    ]

    /// One finished backup job: its result, how long it ran, and for a success what it wrote to
    /// which target.
    static func recordJob(result: String, vmName: String, target: String, duration: Duration, bytesWritten: UInt64?) {
        Counter(label: backupsLabel, dimensions: [("result", result)]).increment()
        Timer(label: jobDurationLabel, dimensions: [("result", result)]).recordNanoseconds(nanoseconds(duration))
        guard result == "succeeded" else { return }
        if let bytesWritten {
            Counter(label: bytesWrittenLabel, dimensions: [("target", target)]).increment(by: Int64(clamping: bytesWritten))
        }
        Gauge(label: lastSuccessLabel, dimensions: [("vm", vmName)]).record(Date().timeIntervalSince1970)
    }

    /// How long a guest's filesystems stayed frozen.
    static func recordFreeze(_ window: Duration) {
        Timer(label: freezeDurationLabel).recordNanoseconds(nanoseconds(window))
    }

    /// How long a VM's snapshots existed, from the first taken to the last released.
    static func recordSnapshotLifetime(_ lifetime: Duration) {
        Timer(label: snapshotLifetimeLabel).recordNanoseconds(nanoseconds(lifetime))
    }

    /// How many jobs wait for a free slot, and how many run.
    static func recordQueue(queued: Int, running: Int) {
        Gauge(label: queueDepthLabel).record(queued)
        Gauge(label: runningLabel).record(running)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
