import Foundation
import Metrics
import Synchronization

/// What verify jobs report through swift-metrics, beside ``BackupMetrics``:
///
/// - `vmbackup_verify_total{result}`: verify jobs by how they ended: `ok` (the backup is as its
///   manifest says), `failed` (it is not), `error` (the verify could not say: its backup was
///   deleted meanwhile, the catalog could not be written) or `cancelled`;
/// - `vmbackup_last_verify_timestamp_seconds{vm}`: when a backup of the VM was last verified to
///   the end, whether it passed or failed (failures are counted above).
///
/// Each metric is created once, on first use; the timestamp once per VM.
public final class VerifyMetrics: Sendable {
    static let verifyLabel = "vmbackup_verify_total"
    static let lastVerifyLabel = "vmbackup_last_verify_timestamp_seconds"

    static let shared = VerifyMetrics()

    /// The values of the `result` dimension.
    static let results = ["ok", "failed", "error", "cancelled"]
    private let verifies: [String: Counter]
    private let lastVerify = Mutex<[String: Gauge]>([:])

    private init() {
        verifies = Dictionary(
            uniqueKeysWithValues: Self.results.map {
                ($0, Counter(label: Self.verifyLabel, dimensions: [("result", $0)]))
            })
    }

    /// One finished verify job.
    func record(_ outcome: JobOutcome, vmName: String) {
        let result = Self.result(of: outcome)
        verifies[result]?.increment()
        guard result == "ok" || result == "failed" else { return }
        let gauge = lastVerify.withLock {
            if let known = $0[vmName] { return known }
            let made = Gauge(label: Self.lastVerifyLabel, dimensions: [("vm", vmName)])
            $0[vmName] = made
            return made
        }
        gauge.record(Date().timeIntervalSince1970)
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
