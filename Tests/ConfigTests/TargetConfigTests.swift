import APIModel
import Config
import Testing

@Suite struct TargetConfigTests {
    @Test func namedTargetsComeAfterTheDefaultOne() throws {
        let config = try DaemonConfig.parse(
            """
            [daemon]
            state_dir = "/srv/state"
            max_concurrent_jobs = 4

            [targets.offsite]
            directory = "/mnt/offsite/vmbackup"
            max_concurrent_jobs = 1

            [targets.archive]
            directory = "/mnt/archive"

            [policy.nightly]
            schedule = "02:00"
            target = "offsite"
            max_concurrent_jobs = 2
            """, file: "t.toml")
        #expect(
            config.targets == [
                TargetSettings(name: "default", directory: "/srv/state/backups", maxConcurrentJobs: 2),
                TargetSettings(name: "archive", directory: "/mnt/archive", maxConcurrentJobs: 2),
                TargetSettings(name: "offsite", directory: "/mnt/offsite/vmbackup", maxConcurrentJobs: 1),
            ])
        let nightly = try #require(config.policies["nightly"])
        #expect(nightly.target == "offsite")
        #expect(nightly.maxConcurrentJobs == 2)
        #expect(config.maxConcurrentJobs == 4)
    }

    @Test func aPolicyWithoutATargetUsesTheDefaultOne() throws {
        let config = try DaemonConfig.parse("[policy.p]\nkeep_last = 1\n", file: "t.toml")
        #expect(config.policies["p"]?.target == nil)
        #expect(config.policies["p"]?.maxConcurrentJobs == nil)
        #expect(config.targets.map(\.name) == ["default"])
    }

    /// Each broken config, with the one line its checker must print.
    @Test(arguments: [
        (
            "[policy.p]\ntarget = \"offsite\"\n",
            "t.toml:2: [policy.p] names target \"offsite\", but there is no [targets.offsite] (known: default)"
        ),
        ("[targets.offsite]\nmax_concurrent_jobs = 1\n", "t.toml:1: [targets.offsite] needs a directory"),
        ("[targets.offsite]\ndirectory = \"relative\"\n", "t.toml:2: 'directory' must be an absolute path"),
        ("[targets.offsite]\ndirectory = \"/x\"\nspeed = 3\n", "t.toml:3: unknown key 'speed' in [targets.offsite]"),
        (
            "[targets.offsite]\ndirectory = \"/x\"\nmax_concurrent_jobs = 0\n",
            "t.toml:3: 'max_concurrent_jobs' must be an integer from 1 to 64"
        ),
        ("[targets.default]\ndirectory = \"/x\"\n", "t.toml:1: the target named \"default\" is the one of [target]"),
        ("[targets.\"off site\"]\ndirectory = \"/x\"\n", "t.toml:1: target name \"off site\" must be letters"),
        ("[targets]\ndirectory = \"/x\"\n", "t.toml:2: 'directory' must be a section: [targets.directory]"),
        (
            "[target]\ndirectory = \"/b\"\n[targets.copy]\ndirectory = \"/b/\"\n",
            "t.toml:4: [targets.copy] directory \"/b/\" overlaps [target] directory \"/b\""
        ),
        (
            "[target]\ndirectory = \"/b\"\n[targets.inner]\ndirectory = \"/b/inner\"\n",
            "t.toml:4: [targets.inner] directory \"/b/inner\" overlaps [target] directory \"/b\""
        ),
        ("[policy.p]\nmax_concurrent_jobs = 0\n", "t.toml:2: 'max_concurrent_jobs' must be an integer from 1 to 64"),
        ("[policy.p]\ntarget = \"../x\"\n", "t.toml:2: 'target' \"../x\" is not a target name"),
    ])
    func aBrokenTargetIsReportedWithFileAndLine(text: String, expected: String) {
        do {
            _ = try DaemonConfig.parse(text, file: "t.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(lines)")
        }
    }

    @Test func separateDirectoriesWithACommonPrefixAreFine() throws {
        let config = try DaemonConfig.parse(
            "[target]\ndirectory = \"/b\"\n[targets.other]\ndirectory = \"/bb\"\n", file: "t.toml")
        #expect(config.targets.map(\.directory) == ["/b", "/bb"])
    }
}
