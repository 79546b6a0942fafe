import APIModel
import Foundation
import Synchronization
import Testing

extension Integration {
    /// The CLI's exchange with a real daemon, repeated: every run ends with the daemon's answer,
    /// never with a connection that broke after the answer arrived.
    @Suite struct CLIExchangeTests {
        /// A command and how it must end: its exit status and a piece of what it prints.
        struct Exchange: Sendable {
            var arguments: [String]
            var status: Int32
            var output: String
        }

        static let exchanges = [
            Exchange(arguments: ["status"], status: 0, output: "running"),
            Exchange(arguments: ["status", "--json"], status: 0, output: "{"),
            Exchange(arguments: ["task", "vmbt-no-such-task"], status: 4, output: "vmbt-no-such-task"),
            Exchange(arguments: ["backup", "vmbt-no-such-vm"], status: 4, output: "vmbt-no-such-vm"),
            Exchange(arguments: ["list", "vmbt-no-such-vm"], status: 4, output: "vmbt-no-such-vm"),
        ]

        @Test func everyRunEndsWithTheDaemonsAnswer() throws {
            let daemon = try Daemon.start()
            let cli = [TestHost.binDirectory + "/vmbackup", "--socket", daemon.socket]
            // Six at a time on two cores: a CLI preempted between the parts of its request used to
            // see the daemon's answer and close, then fail writing the rest (2 runs in 360 here).
            let rounds = 72
            let lanes = 6
            let runs = (0..<(rounds * Self.exchanges.count)).map { Self.exchanges[$0 % Self.exchanges.count] }
            let failures = Mutex<[String]>([])
            let done = DispatchGroup()
            for lane in 0..<lanes {
                done.enter()
                // A thread per lane: Dispatch would run no more lanes at once than there are cores.
                Thread {
                    defer { done.leave() }
                    for run in stride(from: lane, to: runs.count, by: lanes) {
                        if let failure = Self.check(runs[run], cli: cli) {
                            failures.withLock { $0.append("run \(run) \(failure)") }
                        }
                    }
                }.start()
            }
            done.wait()
            let failed = failures.withLock { $0 }
            withExtendedLifetime(daemon) {}
            #expect(
                failed.isEmpty, "\(failed.count) of \(runs.count) runs:\n\(failed.prefix(10).joined(separator: "\n"))")
        }

        /// What an administrator and a script see of one daemon: versions, a mistyped command, a
        /// backup's progress without a terminal, a failed backup in `tasks` and `status`, failures
        /// as JSON and the shell's completions. A shut-off guest keeps the backup under a second; a
        /// file where the VM's folder on the target goes makes the next one fail at `prepare`.
        @Test func theCommandLineShowsTasksFailuresAndVersions() throws {
            let guest = try TestGuest.make("cli", disks: [(16, "raw")], start: false, prefillMiB: 4)
            defer { guest.remove() }
            let daemon = try Daemon.start(
                config: """
                    [policy.yearly]
                    schedule = "*-01-01 00:00:00"

                    [[vm]]
                    name = "\(guest.name)"
                    policy = "yearly"
                    """)
            defer { daemon.stop() }
            let vmbackup = TestHost.binDirectory + "/vmbackup"

            let version = try Shell.run([vmbackup, "--version"])
            #expect(version.stdout == (try Shell.run([TestHost.binDirectory + "/vmbackupd", "--version"]).stdout))
            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == status.version)

            let typo = try daemon.cli(["bakup", guest.name])
            #expect(typo.status == 2)
            #expect(typo.stderr.contains("unknown command 'bakup'; did you mean 'backup'?"), "\(typo.stderr)")

            // Shell.run reads stderr through a pipe: progress comes as plain lines.
            let backup = try Shell.run(
                [vmbackup, "--socket", daemon.socket, "backup", guest.name, "--wait"],
                environment: ["VMBACKUP_PROGRESS_INTERVAL": "0.2"], check: false)
            #expect(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stderr.contains("progress 0s: "), "\(backup.stderr)")
            #expect(!backup.stderr.contains("\u{1B}["))

            let folder = daemon.targetDirectory + "/" + (try guest.uuid())
            try FileManager.default.moveItem(atPath: folder, toPath: folder + ".aside")
            #expect(FileManager.default.createFile(atPath: folder, contents: nil))
            let failed = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(failed.status == 1)
            // One JSON object on stdout: the failed task, which carries the error.
            let failedTask = try APIJSON.decoder().decode(TaskInfo.self, from: Data(failed.stdout.utf8))
            #expect(failedTask.state == .failed && failedTask.error?.code == .targetFailed, "\(failed.stdout)")

            let tasks = try daemon.cli(["tasks", "--vm", guest.name])
            #expect(tasks.status == 0)
            #expect(tasks.stdout.hasPrefix("ID "), "\(tasks.stdout)")
            #expect(tasks.stdout.contains("succeeded") && tasks.stdout.contains("target_failed: "), "\(tasks.stdout)")
            let failedTasks = try APIJSON.decoder().decode(
                [TaskInfo].self, from: Data(try daemon.cli(["tasks", "--state", "failed", "--json"]).stdout.utf8))
            #expect(failedTasks.map(\.id) == [failedTask.id])

            let text = try daemon.cli(["status"]).stdout
            #expect(text.contains("failed 0s ago") || text.contains("failed 1s ago"), "\(text)")
            #expect(text.contains("\(guest.name): failed"), "\(text)")
            #expect(text.contains("at step prepare (task \(failedTask.id)): ") && text.contains("(target_failed)"))
            let entry = try #require(
                try APIJSON.decoder().decode(
                    DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8)
                ).schedule.first { $0.vmName == guest.name })
            #expect(entry.lastBackupTask?.taskID == failedTask.id)
            #expect(entry.lastBackupTask?.failedStep == "prepare")
            #expect(entry.lastBackupTask?.error?.code == .targetFailed)
            let vms = try APIJSON.decoder().decode(
                [VMSummary].self, from: Data(try daemon.cli(["vms", "--json"]).stdout.utf8))
            #expect(vms.first { $0.vmName == guest.name }?.lastBackupTask?.state == .failed)

            try expectJSONFailure(
                daemon.cli(["show", guest.name, "no-such-backup", "--json"]), code: "backup_not_found", status: 4,
                httpStatus: 404)
            try expectJSONFailure(
                Shell.run([vmbackup, "--socket", daemon.root + "/none.sock", "status", "--json"], check: false),
                code: "daemon_unreachable", status: 3, httpStatus: nil)
            try expectJSONFailure(
                daemon.cli(["tasks", "--state", "bogus", "--json"]), code: "usage", status: 2, httpStatus: nil)
            try expectJSONFailure(daemon.cli(["bakup", "--json"]), code: "unknown_command", status: 2, httpStatus: nil)

            // What the generated scripts run on a TAB: words are the command line, the program first.
            func complete(_ argument: String, _ words: [String], socket: String = daemon.socket) throws -> [String] {
                let all = ["vmbackup", "--socket", socket] + words
                let output = try Shell.run(
                    [vmbackup, "---completion", words[0], "--", argument, "\(all.count - 1)", "0"] + all)
                return output.stdout.split(separator: "\n").map(String.init)
            }
            #expect(try complete("positional@0", ["backup", ""]).contains(guest.name))
            let candidates = try complete("positional@1", ["show", guest.name, ""])
            #expect(candidates.first == "latest" && candidates.count == 2, "\(candidates)")
            #expect(try complete("positional@0", ["backup", ""], socket: daemon.root + "/none.sock").isEmpty)
        }

        private func expectJSONFailure(
            _ output: Shell.Output, code: String, status: Int32, httpStatus: Int?,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            struct Body: Decodable {
                struct Detail: Decodable {
                    var code: String
                    var message: String
                    var status: Int32
                    var httpStatus: Int?
                }
                var error: Detail
            }
            #expect(output.status == status, "\(output.stdout)\(output.stderr)", sourceLocation: sourceLocation)
            let detail = try JSONDecoder().decode(Body.self, from: Data(output.stdout.utf8)).error
            #expect(detail.code == code, sourceLocation: sourceLocation)
            #expect(detail.status == status, sourceLocation: sourceLocation)
            #expect(detail.httpStatus == httpStatus, sourceLocation: sourceLocation)
            #expect(!detail.message.isEmpty, sourceLocation: sourceLocation)
        }

        /// Runs one exchange; returns what went wrong, or nil.
        private static func check(_ exchange: Exchange, cli: [String]) -> String? {
            do {
                let output = try Shell.run(cli + exchange.arguments, check: false)
                let printed = output.stdout + output.stderr
                guard output.status == exchange.status, printed.contains(exchange.output) else {
                    return "\(exchange.arguments) exited \(output.status): \(printed.prefix(300))"
                }
                return nil
            } catch {
                return "\(exchange.arguments): \(error)"
            }
        }
    }
}
