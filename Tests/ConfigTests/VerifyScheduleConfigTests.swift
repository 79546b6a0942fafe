import Config
import Foundation
import Scheduling
import Testing

@Suite struct VerifyScheduleConfigTests {
    @Test func aPolicyCanVerifyOnAScheduleWhatWasNotVerifiedLately() throws {
        let config = try DaemonConfig.parse(
            """
            [policy.nightly]
            schedule = "02:00"
            verify_schedule = "Sun 05:00 UTC"
            reverify_after = "2w"

            [policy.plain]
            verify_schedule = "daily"
            """, file: "v.toml")

        let nightly = try #require(config.policies["nightly"])
        #expect(nightly.verifySchedule?.normalized == "Sun *-*-* 05:00:00 UTC")
        #expect(nightly.reverifyAfterSeconds == 14 * 86_400)
        #expect(config.policies["plain"]?.reverifyAfterSeconds == 30 * 86_400, "30 days unless said")
        #expect(config.policies["plain"]?.schedule == nil, "verifying needs no backup schedule")
    }

    @Test(arguments: [("90s", 90), ("45m", 2_700), ("12h", 43_200), ("30d", 2_592_000), ("1w", 604_800)])
    func aDurationIsANumberAndAUnit(text: String, seconds: Int) throws {
        let config = try DaemonConfig.parse("[policy.p]\nreverify_after = \"\(text)\"\n", file: "v.toml")
        #expect(config.policies["p"]?.reverifyAfterSeconds == seconds)
    }

    @Test(arguments: [
        ("[policy.p]\nverify_schedule = \"Sunday 5\"\n", "v.toml:2: 'verify_schedule' \"Sunday 5\": "),
        ("[policy.p]\nverify_schedule = 7\n", "v.toml:2: 'verify_schedule' must be a string"),
        (
            "[policy.p]\nreverify_after = \"30\"\n",
            "v.toml:2: 'reverify_after' \"30\" must be a whole number and a unit"
        ),
        ("[policy.p]\nreverify_after = \"0d\"\n", "v.toml:2: 'reverify_after' \"0d\" must be"),
        ("[policy.p]\nreverify_after = \"-1d\"\n", "v.toml:2: 'reverify_after' \"-1d\" must be"),
        ("[policy.p]\nreverify_after = \"1y\"\n", "v.toml:2: 'reverify_after' \"1y\" must be"),
        ("[policy.p]\nreverify_after = 30\n", "v.toml:2: 'reverify_after' must be a string"),
        ("[policy.p]\nverify_shedule = \"daily\"\n", "v.toml:2: unknown key 'verify_shedule' in [policy.p]"),
    ])
    func aBadSettingIsReportedWithFileAndLine(text: String, expected: String) {
        do {
            _ = try DaemonConfig.parse(text, file: "v.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
        }
    }
}
