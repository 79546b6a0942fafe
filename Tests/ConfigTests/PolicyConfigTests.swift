import Config
import Foundation
import Scheduling
import Testing

@Suite struct PolicyConfigTests {
    private let utc = TimeZone(identifier: "UTC")!

    @Test func policiesAndTheVMsThatUseThemAreRead() throws {
        let config = try DaemonConfig.parse(
            """
            [daemon]
            max_concurrent_jobs = 3
            [target]
            max_concurrent_jobs = 1

            [policy.nightly]
            schedule = "Mon..Fri 02:00 UTC"
            randomized_delay = 1800
            keep_daily = 7
            keep_weekly = 4
            quiesce = "required"

            [policy.manual]
            keep_last = 2

            [[vm]]
            glob = "web-*"
            policy = "nightly"
            """, file: "p.toml")
        #expect(config.maxConcurrentJobs == 3)
        #expect(config.targets.first?.maxConcurrentJobs == 1)
        let nightly = try #require(config.policies["nightly"])
        #expect(nightly.schedule?.normalized == "Mon..Fri *-*-* 02:00:00 UTC")
        #expect(nightly.randomizedDelaySeconds == 1800)
        #expect(nightly.retention == (try RetentionPolicy(keepDaily: 7, keepWeekly: 4)))
        #expect(nightly.quiesce == .required)
        let manual = try #require(config.policies["manual"])
        #expect(manual.schedule == nil)
        #expect(manual.retention == (try RetentionPolicy(keepLast: 2)))
        #expect(config.vms.first?.policy == "nightly")
    }

    /// Each broken config, with the one line its checker must print.
    @Test(arguments: [
        ("[policy.p]\nschedule = \"Mox 02:00\"\n", "b.toml:2: 'schedule' \"Mox 02:00\": unknown weekday \"Mox\""),
        ("[policy.p]\nschedule = \"25:00\"\n", "b.toml:2: 'schedule' \"25:00\": hour 25 out of range"),
        ("[policy.p]\nschedule = 5\n", "b.toml:2: 'schedule' must be a string"),
        ("[policy.p]\nkeep_daily = -1\n", "b.toml:2: 'keep_daily' must be an integer from 0 to 100000"),
        ("[policy.p]\nkeep_dayly = 3\n", "b.toml:2: unknown key 'keep_dayly' in [policy.p]"),
        ("[policy.p]\nrandomized_delay = 90000\n", "b.toml:2: 'randomized_delay' must be an integer from 0 to 86400"),
        ("[policy.p]\nquiesce = \"always\"\n", "b.toml:2: 'quiesce' must be one of required, preferred, off"),
        ("[policy]\nschedule = \"daily\"\n", "b.toml:2: 'schedule' must be a section: [policy.schedule]"),
        ("[policy.\"bad name\"]\nkeep_last = 1\n", "b.toml:1: policy name \"bad name\" must be letters"),
        (
            "[[vm]]\nall = true\npolicy = \"nightly\"\n",
            "b.toml:3: [[vm]] names policy \"nightly\", but there is no [policy.nightly]"
        ),
        ("[daemon]\nmax_concurrent_jobs = 0\n", "b.toml:2: 'max_concurrent_jobs' must be an integer from 1 to 64"),
        ("[target]\nmax_concurrent_jobs = \"2\"\n", "b.toml:2: 'max_concurrent_jobs' must be an integer from 1 to 64"),
    ])
    func aBrokenConfigIsReportedWithFileAndLine(text: String, expected: String) {
        do {
            _ = try DaemonConfig.parse(text, file: "b.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
        }
    }

    @Test func theExamplesInTheExampleFileAreValidOnceUncommented() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let text = try String(contentsOfFile: url.path + "/Config/vmbackupd.toml", encoding: .utf8)
        // The commented examples are the lines "# key = value" and "# [section]" after the
        // policies' introduction; uncommenting them must give a valid file.
        let start = try #require(text.range(of: "# [targets.offsite]"))
        let examples = text[start.lowerBound...].split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("# ") else { return nil }
            let body = line.dropFirst(2)
            let isKey =
                body.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" }).count > 0
                && body.drop(while: { $0.isLetter || $0.isNumber || $0 == "_" }).hasPrefix(" = ")
            guard body.hasPrefix("[") || isKey else { return nil }
            return String(body)
        }
        let config = try DaemonConfig.parse(examples.joined(separator: "\n"), file: "examples.toml")
        #expect(config.policies.keys.sorted() == ["hourly", "nightly", "weekly-offsite"])
        #expect(config.policies["weekly-offsite"]?.target == "offsite")
        #expect(config.targets.map(\.name) == ["default", "offsite"])
        #expect(config.vms.map(\.policy) == ["hourly", "nightly"])
    }
}
