import Foundation
import Testing

@testable import Engine

@Suite struct MetricFamilyTests {
    @Test func namesAreUniqueAndFollowPrometheusConventions() {
        let names = MetricFamily.all.map(\.name)
        #expect(Set(names).count == names.count)
        for family in MetricFamily.all {
            #expect(family.name.hasPrefix("vmbackup_"), "\(family.name)")
            #expect(family.name.hasSuffix("_total") == (family.kind == .counter), "\(family.name)")
            #expect(!family.help.isEmpty, "\(family.name)")
        }
    }

    @Test func docsMetricsListsEveryFamilyWithItsTypeAndLabels() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/METRICS.md"), encoding: .utf8)
        for family in MetricFamily.all {
            let labels = family.labels.isEmpty ? "" : family.labels.joined(separator: ", ")
            #expect(
                text.contains("| `\(family.name)` | \(family.kind.rawValue) | \(labels) |"),
                "docs/METRICS.md has a row for \(family.name)")
        }
    }
}
