import Metrics
import Synchronization

/// The gauges of ``StateMetrics``, set from each new list of samples: a label set missing from
/// the list (a VM whose last backup was deleted) is removed from the export, not left at its
/// last value.
final class StateGauges: Sendable {
    static let shared = StateGauges()

    private let gauges = Mutex<[[String]: Gauge]>([:])

    func apply(_ samples: [GaugeSample]) {
        let gone = gauges.withLock { gauges in
            var kept: [[String]: Gauge] = [:]
            for sample in samples {
                let gauge =
                    gauges[sample.key]
                    ?? Gauge(label: sample.family, dimensions: sample.labels.map { ($0.name, $0.value) })
                gauge.record(sample.value)
                kept[sample.key] = gauge
            }
            let gone = gauges.filter { kept[$0.key] == nil }.map(\.value)
            gauges = kept
            return gone
        }
        for gauge in gone { gauge.destroy() }
    }
}
