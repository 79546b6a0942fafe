import Config
import Testing

@Suite struct APIConfigTests {
    @Test func theAPIKeysDefaultToADerivedLimitAndAMinuteOfIdleness() throws {
        let config = try DaemonConfig.parse("", file: "empty.toml")
        #expect(config.apiMaxConnections == nil)
        #expect(config.apiIdleTimeoutSeconds == 60)
    }

    @Test func theAPISectionIsRead() throws {
        let config = try DaemonConfig.parse("[api]\nmax_connections = 64\nidle_timeout = 5\n", file: "api.toml")
        #expect(config.apiMaxConnections == 64)
        #expect(config.apiIdleTimeoutSeconds == 5)
    }

    @Test func badAPIValuesAreReportedWithTheirLines() {
        do {
            _ = try DaemonConfig.parse(
                "[api]\nmax_connections = 0\nidle_timeout = \"1m\"\nbacklog = 5\n", file: "api.toml")
            Issue.record("expected errors")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains("api.toml:2: 'max_connections' must be an integer from 1 to 65536"))
            #expect(lines.contains("api.toml:3: 'idle_timeout' must be an integer from 1 to 86400"))
            #expect(lines.contains("api.toml:4: unknown key 'backlog' in [api]"))
            #expect(error.issues.count == 3)
        }
    }

    @Test func anUnknownSectionNamesAPIAmongTheKnownOnes() {
        do {
            _ = try DaemonConfig.parse("[apii]\n", file: "s.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.map(\.description).contains { $0.contains("known: daemon, api, target,") })
        }
    }
}
