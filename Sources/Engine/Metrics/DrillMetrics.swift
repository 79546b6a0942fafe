import APIModel
import Metrics
import Synchronization

/// What drills report through swift-metrics: `vmbackup_drills_total{result}` and, per VM, the
/// seconds its last passed drill took to reach the guest agent.
final class DrillMetrics: Sendable {
    static let drillsLabel = "vmbackup_drills_total"
    static let secondsToAgentLabel = "vmbackup_last_drill_seconds_to_agent"
    static let lastDrillLabel = "vmbackup_last_drill_timestamp_seconds"

    static let shared = DrillMetrics()

    private let passed = Counter(label: drillsLabel, dimensions: [("result", "passed")])
    private let failed = Counter(label: drillsLabel, dimensions: [("result", "failed")])
    private let perVM = Mutex<[String: (seconds: Gauge, last: Gauge)]>([:])

    func record(_ result: DrillResult) {
        (result.ok ? passed : failed).increment()
        let gauges = perVM.withLock { known in
            if let gauges = known[result.vm] { return gauges }
            let made = (
                seconds: Gauge(label: Self.secondsToAgentLabel, dimensions: [("vm", result.vm)]),
                last: Gauge(label: Self.lastDrillLabel, dimensions: [("vm", result.vm)])
            )
            known[result.vm] = made
            return made
        }
        gauges.last.record(result.at.timeIntervalSince1970)
        if let seconds = result.secondsToAgent { gauges.seconds.record(seconds) }
    }
}
