import Foundation
import Metrics
import Synchronization

/// What the engine reports through swift-metrics; vmbackupd exports it for Prometheus on
/// `GET /metrics`. Names follow Prometheus conventions: `_total` for counters, base units.
///
/// Each metric is created once, on first use after the metrics system was bootstrapped; those
/// with a dimension per target or VM once per target or VM. ``MetricFamily`` lists them with
/// their help text; the gauges of how things stand are ``StateMetrics``.
public final class BackupMetrics: Sendable {
    static let backupsLabel = "vmbackup_backups_total"
    static let bytesWrittenLabel = "vmbackup_bytes_written_total"
    static let jobDurationLabel = "vmbackup_job_duration_seconds"
    static let freezeDurationLabel = "vmbackup_freeze_duration_seconds"
    static let snapshotLifetimeLabel = "vmbackup_snapshot_lifetime_seconds"
    static let queueDepthLabel = "vmbackup_queue_depth"
    static let runningLabel = "vmbackup_running_jobs"

    /// Histogram buckets by timer: backups take minutes to hours, freezes milliseconds to seconds.
    public static let durationBuckets: [String: [Duration]] = [
        jobDurationLabel: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400].map { .seconds($0) },
        snapshotLifetimeLabel: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400].map { .seconds($0) },
        freezeDurationLabel: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30].map { .milliseconds(Int($0 * 1000)) },
    ]

    /// The daemon's metrics, created when first used.
    static let shared = BackupMetrics()

    private static let results = ["succeeded", "failed", "cancelled"]
    private let jobDurations: [String: Timer]
    private let freezeDuration = Timer(label: freezeDurationLabel)
    private let snapshotLifetime = Timer(label: snapshotLifetimeLabel)
    private let queueDepth = Gauge(label: queueDepthLabel)
    private let running = Gauge(label: runningLabel)
    private let bytesWritten = Mutex<[String: Counter]>([:])
    /// Per VM, its job counters by result.
    private let jobs = Mutex<[String: [String: Counter]]>([:])

    private init() {
        jobDurations = Dictionary(
            uniqueKeysWithValues: Self.results.map {
                ($0, Timer(label: Self.jobDurationLabel, dimensions: [("result", $0)]))
            })
    }

    /// One finished backup job: its result, how long it ran, and for a success what it wrote to
    /// which target.
    func recordJob(result: String, vmName: String, target: String, duration: Duration, bytesWritten: UInt64?) {
        jobCounters(vmName: vmName)[result]?.increment()
        jobDurations[result]?.recordNanoseconds(Self.nanoseconds(duration))
        guard result == "succeeded" else { return }
        if let bytesWritten {
            let counter = self.bytesWritten.withLock {
                if let known = $0[target] { return known }
                let made = Counter(label: Self.bytesWrittenLabel, dimensions: [("target", target)])
                $0[target] = made
                return made
            }
            counter.increment(by: Int64(clamping: bytesWritten))
        }
    }

    /// Makes the job counters of `vms` known at zero, so that a VM's first failure after a start
    /// shows as an increase.
    func register(vms: Set<String>) {
        for vm in vms { _ = jobCounters(vmName: vm) }
    }

    private func jobCounters(vmName: String) -> [String: Counter] {
        jobs.withLock { known in
            if let counters = known[vmName] { return counters }
            let made = Dictionary(
                uniqueKeysWithValues: Self.results.map {
                    ($0, Counter(label: Self.backupsLabel, dimensions: [("result", $0), ("vm", vmName)]))
                })
            known[vmName] = made
            return made
        }
    }

    /// How long a guest's filesystems stayed frozen.
    func recordFreeze(_ window: Duration) {
        freezeDuration.recordNanoseconds(Self.nanoseconds(window))
    }

    /// How long a VM's snapshots existed, from the first taken to the last released.
    func recordSnapshotLifetime(_ lifetime: Duration) {
        snapshotLifetime.recordNanoseconds(Self.nanoseconds(lifetime))
    }

    /// How many jobs wait for a free slot, and how many run.
    func recordQueue(queued: Int, running: Int) {
        queueDepth.record(queued)
        self.running.record(running)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
