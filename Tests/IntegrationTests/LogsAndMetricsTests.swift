import APIModel
import Foundation
import Testing

/// What an administrator watching a fleet relies on: `/metrics` has the last success and the
/// stored backups right after a restart, before any job; failures carry their VM; every family
/// has its help and type; and the log reads as documented, on a file and under journald, with
/// the job and VM on every job line and the start, reload and stop on record.
extension Integration {
    @Suite struct LogsAndMetricsTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func metricsSurviveARestartFailuresCarryTheVMAndTheLogParses() throws {
            let guest = try TestGuest.make("metrics", disks: [(32, "raw")], start: false)
            defer { guest.remove() }
            try Shell.run([
                "dd", "if=/dev/urandom", "of=\(guest.disks[0])", "bs=1M", "count=8", "conv=notrunc", "status=none",
            ])
            let target = try TestHost.makeWorkDirectory("metrics-target")
            try Shell.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", target])
            defer {
                _ = try? Shell.run(["umount", "-l", target], check: false)
                try? FileManager.default.removeItem(atPath: target)
            }

            // A backup on a daemon logging to a plain file, then a stop.
            let first = try Daemon.start(config: "", targetDirectory: target)
            let before = Date().timeIntervalSince1970
            let backedUp = try first.cli(["backup", guest.name, "--wait"])
            #expect(backedUp.status == 0, "\(backedUp.stderr)\n\(first.logText)")
            let after = Date().timeIntervalSince1970
            let root = first.detach()

            // The same state under a daemon whose stderr is "journald's stream" (the log file
            // named by JOURNAL_STREAM), and a target with too little room left for the next one.
            try Shell.run(["dd", "if=/dev/zero", "of=\(target)/filler", "bs=1M", "status=none"], check: false)
            let stream = try Shell.run(["stat", "-c", "%d:%i", root + "/vmbackupd.log"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let second = try Daemon.start(
                config: "", root: root, targetDirectory: target, environment: ["JOURNAL_STREAM": stream])
            defer { second.stop() }

            let restarted = try PrometheusText(parsing: second.request("GET", "/metrics").body)
            for family in restarted.families {
                #expect(!family.help.isEmpty, "# HELP for \(family.name)")
                #expect(family.type != "unknown", "# TYPE for \(family.name)")
            }
            let vm = ["vm": guest.name]
            let lastSuccess = try #require(restarted.value("vmbackup_last_success_timestamp_seconds", vm))
            #expect(lastSuccess >= before.rounded(.down) && lastSuccess <= after + 1)
            let stored = ["vm": guest.name, "target": "default"]
            #expect(restarted.value("vmbackup_stored_backups", stored) == 1)
            #expect((restarted.value("vmbackup_stored_bytes", stored) ?? 0) >= Double(8 << 20))
            #expect(restarted.value("vmbackup_target_free_bytes", ["target": "default"]) != nil)
            #expect(restarted.value("vmbackup_target_size_bytes", ["target": "default"]) == Double(24 << 20))
            #expect(restarted.value("vmbackup_unresolved_recoveries") == 0)
            #expect(restarted.value("vmbackup_backups_total", ["result": "failed", "vm": guest.name]) == 0)

            let failed = try second.cli(["backup", guest.name, "--wait"])
            #expect(failed.status != 0, "the target is full")
            let afterFailure = try PrometheusText(parsing: second.request("GET", "/metrics").body)
            #expect(afterFailure.value("vmbackup_backups_total", ["result": "failed", "vm": guest.name]) == 1)
            #expect(afterFailure.value("vmbackup_last_failure_timestamp_seconds", vm) != nil)
            #expect(afterFailure.value("vmbackup_last_success_timestamp_seconds", vm) == lastSuccess)

            second.signal(SIGHUP)
            try waitForLog(of: second, containing: "configuration reloaded")
            #expect(second.stop() == 0)
            try expectLogAsDocumented(second.logText, vm: guest.name)
        }

        private func waitForLog(of daemon: Daemon, containing text: String) throws {
            for _ in 0..<50 where !daemon.logText.contains(text) { usleep(100_000) }
            #expect(daemon.logText.contains(text), "\(daemon.logText)")
        }

        /// Every line parses; the file part is in the console format and the rest in journald's;
        /// each run logs its start and its stop; job lines name the job and the VM, streaming
        /// lines the disk too; the failure is an error (priority 3).
        private func expectLogAsDocumented(_ text: String, vm: String) throws {
            let raw = text.split(separator: "\n").map(String.init)
            let lines = raw.compactMap(DaemonLogLine.init)
            #expect(lines.count == raw.count, "unparsed: \(raw.filter { DaemonLogLine($0) == nil })")
            let console = lines.filter { $0.format == .console }
            let journal = lines.filter { $0.format == .journal }
            #expect(lines.firstIndex { $0.format == .journal } == console.count, "console first, journal after")
            for part in [console, journal] {
                let start = part.first { $0.message == "vmbackupd starting" }
                #expect(start?.fields["version"] != nil && start?.fields["state.directory"] != nil)
                #expect(start?.fields["socket"] != nil && start?.fields["config"] != nil)
                #expect(part.contains { $0.message.hasPrefix("graceful shutdown begun") })
                #expect(part.last { $0.message == "vmbackupd stopped: graceful shutdown finished" }?.priority == 5)
            }
            for line in lines where line.fields["job.id"] != nil {
                #expect(line.fields["vm.name"] == vm, "\(line)")
            }
            let streaming = lines.filter { $0.message == "Streaming disk" }
            #expect(!streaming.isEmpty)
            for line in streaming {
                #expect(line.fields["job.id"] != nil && line.fields["disk.target"] == "vda", "\(line)")
            }
            let failure = journal.first { $0.message == "backup failed" }
            #expect(failure?.priority == 3)
            #expect(failure?.fields["vm.name"] == vm && failure?.fields["job.id"] != nil)
            #expect(
                failure?.fields["error"]?.contains("No space left on device") == true, "\(String(describing: failure))")
            #expect(journal.contains { $0.message == "configuration reloaded: unchanged" && $0.priority == 5 })
        }
    }
}
