import Catalog

/// The gauges that say how things stand, rather than what jobs did since the start: computed
/// from the catalog's ``CatalogFigures``, the targets' free space and the unresolved recoveries,
/// at start (before the socket answers) and at each scrape. A restart therefore loses none of
/// them.
enum StateMetrics {
    static let lastSuccessLabel = "vmbackup_last_success_timestamp_seconds"
    static let lastFailureLabel = "vmbackup_last_failure_timestamp_seconds"
    static let storedBackupsLabel = "vmbackup_stored_backups"
    static let storedBytesLabel = "vmbackup_stored_bytes"
    static let targetFreeLabel = "vmbackup_target_free_bytes"
    static let targetSizeLabel = "vmbackup_target_size_bytes"
    static let unresolvedLabel = "vmbackup_unresolved_recoveries"
    static let lastVerifyLabel = "vmbackup_last_verify_timestamp_seconds"
    static let lastVerifySuccessLabel = "vmbackup_last_verify_success"
    static let lastDrillLabel = "vmbackup_last_drill_timestamp_seconds"
    static let lastDrillSuccessLabel = "vmbackup_last_drill_success"

    /// The space of one target's file system (`statvfs`).
    struct TargetSpace: Sendable, Equatable {
        var target: String
        var freeBytes: UInt64
        var sizeBytes: UInt64
    }

    /// Every sample of the state families; a family with no sample is not exported.
    static func samples(
        figures: CatalogFigures, targets: [TargetSpace], unresolvedRecoveries: Int
    ) -> [GaugeSample] {
        var samples: [GaugeSample] = []
        for stored in figures.stored {
            let labels = [("vm", stored.vmName), ("target", stored.target)]
            samples.append(GaugeSample(storedBackupsLabel, labels, Double(stored.backups)))
            samples.append(GaugeSample(storedBytesLabel, labels, Double(stored.storedBytes)))
        }
        for (vm, date) in figures.lastSuccess {
            samples.append(GaugeSample(lastSuccessLabel, [("vm", vm)], date.timeIntervalSince1970))
        }
        for (vm, date) in figures.lastFailure {
            samples.append(GaugeSample(lastFailureLabel, [("vm", vm)], date.timeIntervalSince1970))
        }
        for check in figures.lastVerification {
            samples.append(GaugeSample(lastVerifyLabel, [("vm", check.vmName)], check.at.timeIntervalSince1970))
            samples.append(GaugeSample(lastVerifySuccessLabel, [("vm", check.vmName)], check.ok ? 1 : 0))
        }
        for check in figures.lastDrill {
            samples.append(GaugeSample(lastDrillLabel, [("vm", check.vmName)], check.at.timeIntervalSince1970))
            samples.append(GaugeSample(lastDrillSuccessLabel, [("vm", check.vmName)], check.ok ? 1 : 0))
        }
        for space in targets {
            samples.append(GaugeSample(targetFreeLabel, [("target", space.target)], Double(space.freeBytes)))
            samples.append(GaugeSample(targetSizeLabel, [("target", space.target)], Double(space.sizeBytes)))
        }
        samples.append(GaugeSample(unresolvedLabel, [], Double(unresolvedRecoveries)))
        return samples
    }
}

/// One gauge's value: its family, its labels in the family's order, and the value.
struct GaugeSample: Sendable, Equatable {
    var family: String
    var labels: [Label]
    var value: Double

    struct Label: Sendable, Hashable {
        var name: String
        var value: String
    }

    init(_ family: String, _ labels: [(String, String)], _ value: Double) {
        self.family = family
        self.labels = labels.map { Label(name: $0.0, value: $0.1) }
        self.value = value
    }

    /// What tells this gauge from every other: the family and the labels.
    var key: [String] { [family] + labels.flatMap { [$0.name, $0.value] } }
}
