import Config
import Foundation
import Scheduling
import Testing

@Suite struct DrillScheduleConfigTests {
    @Test func aPolicyCanDrillItsNewestBackupsOnASchedule() throws {
        let config = try DaemonConfig.parse(
            """
            [policy.nightly]
            schedule = "02:00"
            drill_schedule = "Sat 04:00 UTC"
            """, file: "d.toml")
        #expect(config.policies["nightly"]?.drillSchedule?.normalized == "Sat *-*-* 04:00:00 UTC")
        #expect(config.policies["nightly"]?.verifySchedule == nil)
    }

    @Test(arguments: [
        ("[policy.p]\ndrill_schedule = \"Saturday 4\"\n", "d.toml:2: 'drill_schedule' \"Saturday 4\": "),
        ("[policy.p]\ndrill_schedule = true\n", "d.toml:2: 'drill_schedule' must be a string"),
    ])
    func aBadDrillScheduleIsReportedWithFileAndLine(text: String, expected: String) {
        do {
            _ = try DaemonConfig.parse(text, file: "d.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
        }
    }
}
