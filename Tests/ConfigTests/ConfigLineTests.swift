import Config
import Testing

/// Every problem is reported at the line of its value, wherever the key is repeated.
@Suite struct ConfigLineTests {
    private func problems(_ text: String) -> [String] {
        do {
            _ = try DaemonConfig.parse(text, file: "f.toml")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func aKeyRepeatedInSeveral_vm_SectionsIsReportedAtItsOwnSection() {
        let lines = problems(
            """
            [[vm]]
            name = "a"
            quiesce = "off"

            [[vm]]
            name = "b"
            quiesce = "bogus"

            [[vm]]
            glob = "c*"
            [vm.methods]
            vda = "zfs"

            [[vm]]
            uuid = "4a2c7d1e-1111-2222-3333-444455556666"
            methods = { vdb = "qcow2", vdc = "nope" }

            [[vm]]
            name = "e"
            methods.vdd = "ext4"
            """)
        #expect(lines.contains { $0.hasPrefix("f.toml:7: 'quiesce' must be one of") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("f.toml:12: 'vda' must be one of qcow2") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("f.toml:16: 'vdc' must be one of qcow2") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("f.toml:20: 'vdd' must be one of qcow2") }, "\(lines)")
        #expect(lines.count == 4, "\(lines)")
    }

    @Test func aSectionWithoutItsSelectorIsReportedAtItsHeader() {
        let lines = problems(
            """
            [[vm]]
            name = "a"

            [[vm]]   # no selector
            quiesce = "off"
            """)
        #expect(lines == ["f.toml:4: each [[vm]] needs exactly one of name, uuid, glob or all = true"])
    }

    @Test func aPolicyWithErrorsIsReportedForThemNotAsMissing() {
        let lines = problems(
            """
            [policy.nightly]
            schedule = "daily"
            keep_daily = "x"

            [[vm]]
            name = "a"
            policy = "nightly"

            [[vm]]
            name = "b"
            policy = "weekly"
            """)
        #expect(lines.contains("f.toml:3: 'keep_daily' must be an integer from 0 to 100000"), "\(lines)")
        #expect(!lines.contains { $0.contains("no [policy.nightly]") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("f.toml:11: [[vm]] names policy \"weekly\", but there is no") })
    }

    @Test func sameKeysInOtherSectionsAndCommentsDoNotMislead() {
        let lines = problems(
            """
            # quiesce = "bogus" in a comment
            [policy.a]  # the first policy
            quiesce = "off"
            description = \"\"\"
            quiesce = "x"
            \"\"\"

            [ backup ]
            quiesce = "sometimes"
            """)
        #expect(lines.contains { $0.hasPrefix("f.toml:4: unknown key 'description' in [policy.a]") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("f.toml:9: 'quiesce' must be one of") }, "\(lines)")
    }

    @Test func aBadPolicyNameIsReportedAtItsHeader() {
        let lines = problems(
            """
            [daemon]
            log_level = "info"

            [policy."night ly"]
            keep_last = 3
            """)
        #expect(lines == ["f.toml:4: policy name \"night ly\" must be letters, digits, '-' or '_'"])
    }
}

/// `vmbackupd --check-config --libvirt-uri URI` warns about rules that select no domain.
@Suite struct RuleCoverageTests {
    @Test func aRuleThatMatchesNoDomainIsWarnedAboutAtItsSelector() throws {
        let text = """
            [[vm]]
            name = "web-1"

            [[vm]]
            # a typo
            glob = "db-*"

            [[vm]]
            uuid = "4A2C7D1E-1111-2222-3333-444455556666"
            """
        let config = try DaemonConfig.parse(text, file: "f.toml")
        let domains = [(name: "web-1", uuid: "00000000-0000-0000-0000-000000000001")]
        let warnings = config.rulesMatchingNoDomain(domains, text: text, file: "f.toml").map(\.description)
        #expect(
            warnings == [
                "f.toml:6: warning: [[vm]] glob \"db-*\" matches no domain",
                "f.toml:9: warning: [[vm]] uuid \"4A2C7D1E-1111-2222-3333-444455556666\" matches no domain",
            ])
        let all = domains + [(name: "db-2", uuid: "4a2c7d1e-1111-2222-3333-444455556666")]
        #expect(config.rulesMatchingNoDomain(all, text: text, file: "f.toml").isEmpty)
    }
}

/// Headers toml++ asserts on (a crash, or undefined behaviour in a release build) are reported
/// before it sees them.
@Suite struct MalformedHeaderTests {
    @Test(arguments: ["[", "[[", "[ ", "[ü]", "[[ü]]", "[:]", "  [\t# nothing"])
    func aHeaderWithoutANameIsAnErrorAtItsLine(header: String) {
        do {
            _ = try DaemonConfig.parse("[daemon]\nlog_level = \"info\"\n\(header)\nx = 1\n", file: "h.toml")
            Issue.record("accepted \(header)")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "h.toml:3: a section header needs a name: [name], [[vm]] or [\"quoted name\"]"
                ])
        }
    }

    @Test func bracketsInsideValuesAreNotHeaders() {
        let text = """
            [[vm]]
            name = "a"
            include = [
              "vda",
            ]
            exclude = [
            "vdb"]
            note = '''
            [
            '''
            """
        do {
            _ = try DaemonConfig.parse(text, file: "v.toml")
            Issue.record("'note' is not a key of [[vm]]")
        } catch {
            #expect(error.issues.map(\.description) == ["v.toml:8: unknown key 'note' in [[vm]]"])
        }
    }
}

/// A bracket that closes what is not open makes toml++ assert; it is reported at its line instead.
@Suite struct MismatchedBracketTests {
    @Test(arguments: ["x = [\"a\", }]", "x = [}", "x = [ }", "x = { a = [}] }", "x = [1, # c\n}]"])
    func aBracketClosingWhatIsNotOpenIsAnErrorAtItsLine(value: String) {
        do {
            _ = try DaemonConfig.parse("[daemon]\n\(value)\n", file: "b.toml")
            Issue.record("accepted \(value)")
        } catch {
            let line = value.contains("\n") ? 3 : 2
            #expect(
                error.issues.map(\.description) == [
                    "b.toml:\(line): a bracket closes what is not open here: [ ] for a list, { } for an inline table"
                ])
        }
    }
}
