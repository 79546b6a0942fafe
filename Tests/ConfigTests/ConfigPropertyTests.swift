import Config
import Foundation
import PropertyBased
import Testing

/// The config parser on generated and mutated files: it never crashes, and every problem it
/// reports points at a line of the file.
/// Each run draws new inputs; a failure prints the seed that reproduces it (`.fixedSeed`).
@Suite struct ConfigPropertyTests {
    /// A file with every kind of section, the seed the mutations start from.
    static let seed = """
        [daemon]
        socket = "/run/vmbackup/vmbackupd.sock"
        log_level = "info"
        sendmail = "/usr/sbin/sendmail"

        [api]
        max_connections = 64

        [target]
        directory = "/srv/backups"

        [targets.offsite]
        directory = "/mnt/offsite"

        [backup]
        quiesce = "preferred"
        freeze_timeout = 15

        [policy.nightly]
        schedule = "02:00"
        keep_daily = 7
        target = "offsite"
        notify_mail = ["ops@example.com"]
        level = "auto"

        [[vm]]
        name = "web01"
        policy = "nightly"
        include = ["vda", "vdb"]

        [[vm]]
        glob = "db-*"
        [vm.methods]
        vdb = "lvm"

        [[vm]]
        all = true
        methods = { vdc = "qcow2" }
        """

    /// Characters that matter to TOML, and a few that do not.
    static let alphabet = Array("[]=\"'#\n.,{}a1-_ \t\\ü0x:*")

    /// Applies the edit each number encodes: delete, insert, duplicate a line, or swap two lines.
    static func mutate(_ text: String, _ edits: [Int]) -> String {
        var characters = Array(text)
        for edit in edits {
            let position = characters.isEmpty ? 0 : (edit >> 2) % characters.count
            let length = (edit >> 20) % 12 + 1
            switch edit % 4 {
            case 0:
                characters.removeSubrange(position..<min(characters.count, position + length))
            case 1:
                let inserted = (0..<length).map { alphabet[(edit >> (24 + $0 % 8)) % alphabet.count] }
                characters.insert(contentsOf: inserted, at: position)
            case 2:
                var lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
                let line = (edit >> 2) % max(1, lines.count)
                if !lines.isEmpty { lines.insert(lines[line], at: (edit >> 12) % lines.count) }
                characters = Array(lines.joined(separator: "\n"))
            default:
                var lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
                guard lines.count > 1 else { continue }
                lines.swapAt((edit >> 2) % lines.count, (edit >> 12) % lines.count)
                characters = Array(lines.joined(separator: "\n"))
            }
        }
        return String(characters)
    }

    /// A file put together from known and unknown sections, keys and values of every type.
    static func generated(_ parts: [Int]) -> String {
        let sections = [
            "[daemon]", "[api]", "[target]", "[backup]", "[policy.p]", "[policy.q]", "[targets.t]", "[[vm]]",
            "[vm.methods]", "[nonsense]", "[policy]", "[[policy]]",
        ]
        let keys = [
            "socket", "state_dir", "log_level", "max_concurrent_jobs", "directory", "quiesce", "schedule",
            "keep_daily", "keep_last", "target", "name", "glob", "uuid", "all", "policy", "include", "exclude",
            "methods", "vda", "level", "full_every", "notify_webhook", "notify_mail", "notify_on", "verify_schedule",
            "reverify_after", "sendmail", "max_connections", "colour", "\"quoted key\"", "a.b",
        ]
        let values = [
            "\"02:00\"", "5", "-1", "0", "true", "false", "[1, \"a\"]", "[\"vda\"]", "{ vdb = \"lvm\" }", "\"x\"",
            "3.5", "1979-05-27", "\"/abs/path\"", "\"relative\"", "\"http://h/x\"", "\"a@b.c\"", "[]", "\"\"",
            "\"auto\"", "\"off\"", "\"7d\"", "99999999999",
        ]
        return parts.map { part in
            switch part % 3 {
            case 0: sections[(part >> 2) % sections.count]
            default: keys[(part >> 2) % keys.count] + " = " + values[(part >> 10) % values.count]
            }
        }.joined(separator: "\n")
    }

    static func expectLocatedProblems(_ text: String) {
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        do {
            _ = try DaemonConfig.parse(text, file: "f.toml")
        } catch {
            #expect(!error.issues.isEmpty)
            for issue in error.issues {
                #expect(issue.line.map { (1...lineCount + 1).contains($0) } == true, "\(issue)\n---\n\(text)")
                #expect(!issue.message.isEmpty)
            }
        }
    }

    @Test func mutatedFilesNeverCrashAndEveryProblemHasALine() async {
        Self.expectLocatedProblems(Self.seed)
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...6)) { edits in
            Self.expectLocatedProblems(Self.mutate(Self.seed, edits))
        }
    }

    @Test func generatedFilesNeverCrashAndEveryProblemHasALine() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...14)) { parts in
            Self.expectLocatedProblems(Self.generated(parts))
        }
    }
}
