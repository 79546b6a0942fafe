import Metrics

/// What verify jobs report through swift-metrics, beside ``BackupMetrics``:
/// `vmbackup_verify_total{result}`, verify jobs by how they ended: `ok` (the backup is as its
/// manifest says), `failed` (it is not), `error` (the verify could not say: its backup was
/// deleted meanwhile, the catalog could not be written) or `cancelled`. When each VM was last
/// verified, and with what result, comes from the catalog (``StateMetrics``).
///
/// Each metric is created once, on first use.
public final class VerifyMetrics: Sendable {
    static let verifyLabel = "vmbackup_verify_total"

    static let shared = VerifyMetrics()

    /// The values of the `result` dimension.
    static let results = ["ok", "failed", "error", "cancelled"]
    private let verifies: [String: Counter]

    private init() {
        verifies = Dictionary(
            uniqueKeysWithValues: Self.results.map {
                ($0, Counter(label: Self.verifyLabel, dimensions: [("result", $0)]))
            })
    }

    /// One finished verify job.
    func record(_ outcome: JobOutcome) {
        verifies[Self.result(of: outcome)]?.increment()
    }

    /// The `result` label of a verify job's outcome.
    static func result(of outcome: JobOutcome) -> String {
        switch outcome.state {
        case .succeeded: "ok"
        case .failed(let error) where error.code == .verifyFailed: "failed"
        case .failed: "error"
        case .cancelled: "cancelled"
        }
    }
}
