import APIModel
import Metrics
import Synchronization

/// What drills report through swift-metrics: `vmbackup_drills_total{result}` and, per VM, the
/// seconds its last passed drill took to reach the guest agent. When each VM was last drilled,
/// and with what result, comes from the catalog (``StateMetrics``).
final class DrillMetrics: Sendable {
    static let drillsLabel = "vmbackup_drills_total"
    static let secondsToAgentLabel = "vmbackup_last_drill_seconds_to_agent"

    static let shared = DrillMetrics()

    private let passed = Counter(label: drillsLabel, dimensions: [("result", "passed")])
    private let failed = Counter(label: drillsLabel, dimensions: [("result", "failed")])
    private let secondsToAgent = Mutex<[String: Gauge]>([:])

    func record(_ result: DrillResult) {
        (result.ok ? passed : failed).increment()
        guard result.ok, let seconds = result.secondsToAgent else { return }
        let gauge = secondsToAgent.withLock { known in
            if let gauge = known[result.vm] { return gauge }
            let made = Gauge(label: Self.secondsToAgentLabel, dimensions: [("vm", result.vm)])
            known[result.vm] = made
            return made
        }
        gauge.record(seconds)
    }
}
