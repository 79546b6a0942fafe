import Catalog
import Foundation
import Testing

@testable import Engine

@Suite struct StateMetricsTests {
    let at = Date(timeIntervalSince1970: 1_800_000_000)

    private func value(_ samples: [GaugeSample], _ family: String, _ labels: [(String, String)] = []) -> Double? {
        samples.first { $0 == GaugeSample(family, labels, $0.value) }?.value
    }

    @Test func theCatalogsFiguresBecomeGaugesPerVMAndTarget() {
        let figures = CatalogFigures(
            stored: [.init(vmName: "web01", target: "default", backups: 3, storedBytes: 12_288)],
            lastSuccess: ["web01": at], lastFailure: ["db01": at.addingTimeInterval(60)])
        let samples = StateMetrics.samples(figures: figures, targets: [], unresolvedRecoveries: 0)

        let web = [("vm", "web01"), ("target", "default")]
        #expect(value(samples, StateMetrics.storedBackupsLabel, web) == 3)
        #expect(value(samples, StateMetrics.storedBytesLabel, web) == 12_288)
        #expect(value(samples, StateMetrics.lastSuccessLabel, [("vm", "web01")]) == 1_800_000_000)
        #expect(value(samples, StateMetrics.lastFailureLabel, [("vm", "db01")]) == 1_800_000_060)
    }

    @Test func verificationsAndDrillsGiveTheirTimeAndWhetherTheyPassed() {
        let figures = CatalogFigures(
            lastVerification: [.init(vmName: "web01", at: at, ok: false)],
            lastDrill: [.init(vmName: "web01", at: at, ok: true)])
        let samples = StateMetrics.samples(figures: figures, targets: [], unresolvedRecoveries: 0)

        let web = [("vm", "web01")]
        #expect(value(samples, StateMetrics.lastVerifyLabel, web) == 1_800_000_000)
        #expect(value(samples, StateMetrics.lastVerifySuccessLabel, web) == 0)
        #expect(value(samples, StateMetrics.lastDrillLabel, web) == 1_800_000_000)
        #expect(value(samples, StateMetrics.lastDrillSuccessLabel, web) == 1)
    }

    @Test func targetsReportTheirSpaceAndUnresolvedRecoveriesAreAlwaysThere() {
        let space = StateMetrics.TargetSpace(target: "default", freeBytes: 1 << 30, sizeBytes: 1 << 40)
        let samples = StateMetrics.samples(figures: CatalogFigures(), targets: [space], unresolvedRecoveries: 2)

        #expect(value(samples, StateMetrics.targetFreeLabel, [("target", "default")]) == Double(1 << 30))
        #expect(value(samples, StateMetrics.targetSizeLabel, [("target", "default")]) == Double(1 << 40))
        #expect(value(samples, StateMetrics.unresolvedLabel) == 2)
        #expect(samples.count == 3)
    }

    @Test func everySampleBelongsToADocumentedFamilyWithItsLabels() {
        let figures = CatalogFigures(
            stored: [.init(vmName: "a", target: "t", backups: 1, storedBytes: 1)], lastSuccess: ["a": at],
            lastFailure: ["a": at], lastVerification: [.init(vmName: "a", at: at, ok: true)],
            lastDrill: [.init(vmName: "a", at: at, ok: true)])
        let space = StateMetrics.TargetSpace(target: "t", freeBytes: 1, sizeBytes: 2)
        for sample in StateMetrics.samples(figures: figures, targets: [space], unresolvedRecoveries: 0) {
            let family = MetricFamily.named(sample.family)
            #expect(family?.kind == .gauge, "\(sample.family)")
            #expect(family?.labels == sample.labels.map(\.name), "\(sample.family)")
        }
    }
}
