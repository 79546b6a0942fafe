import APIModel
import Config
import Foundation
import Scheduling
import Testing

@Suite struct LevelConfigTests {
    @Test func aPolicyNamesItsLevelAndAutosLimits() throws {
        let config = try DaemonConfig.parse(
            """
            [policy.hourly]
            schedule = "hourly"
            level = "auto"
            full_every = "2d"
            max_chain = 12
            """, file: "l.toml")
        let policy = try #require(config.policies["hourly"])
        #expect(policy.level == .auto)
        #expect(policy.fullEverySeconds == 2 * 86_400)
        #expect(policy.maxChain == 12)
    }

    @Test func withoutThemBackupsAreFullAndAutoKeepsAWeekOrThirty() throws {
        let config = try DaemonConfig.parse("[policy.p]\nschedule = \"02:00\"\n", file: "l.toml")
        let policy = try #require(config.policies["p"])
        #expect(policy.level == nil)
        #expect(policy.fullEverySeconds == 7 * 86_400)
        #expect(policy.maxChain == 30)
    }

    @Test(arguments: [
        ("[policy.p]\nlevel = \"weekly\"\n", "l.toml:2: 'level'"),
        ("[policy.p]\nfull_every = \"soon\"\n", "l.toml:2: 'full_every' \"soon\" must be a whole number and a unit"),
        ("[policy.p]\nfull_every = \"0d\"\n", "l.toml:2: 'full_every' \"0d\""),
        ("[policy.p]\nmax_chain = 0\n", "l.toml:2: 'max_chain'"),
    ])
    func aBadLevelSettingIsReportedWithFileAndLine(text: String, expected: String) {
        do {
            _ = try DaemonConfig.parse(text, file: "l.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
        }
    }
}
