import APIModel
import Foundation
import Testing

extension Integration {
    /// A second directory target: a policy that sends its VMs' backups there, `--target` on a
    /// request, retention per target, deletion and a rebuild that find each backup where it lies,
    /// and a reload that would move a target refused. Shut-off guests keep each backup short.
    @Suite struct SeveralTargetsTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func eachBackupGoesToItsTargetAndStaysThere() throws {
            let guest = try TestGuest.make("targets", disks: [(16, "raw")], start: false, prefillMiB: 4)
            defer { guest.remove() }
            let root = try TestHost.makeWorkDirectory("daemon")
            let offsite = root + "/offsite"
            let config = """
                [targets.offsite]
                directory = "\(offsite)"
                max_concurrent_jobs = 1

                [policy.away]
                target = "offsite"
                max_concurrent_jobs = 1
                keep_last = 1

                [[vm]]
                name = "\(guest.name)"
                policy = "away"
                """
            let daemon = try Daemon.start(config: config, root: root)
            var stopped = false
            defer { if !stopped { daemon.stop() } }

            // The policy's target, and its keep_last = 1 applied there alone.
            let first = try backUp(guest.name, on: daemon)
            let second = try backUp(guest.name, on: daemon)
            #expect(first.target == "offsite" && second.target == "offsite")
            #expect(second.location.hasPrefix(offsite + "/"), "\(second.location)")
            // A request's own target wins over the policy's.
            let local = try backUp(guest.name, on: daemon, extra: ["--target", "default"])
            #expect(local.target == "default")
            #expect(local.location.hasPrefix(daemon.targetDirectory + "/"), "\(local.location)")

            let listed = try list(guest.name, on: daemon)
            #expect(Set(listed.map(\.id)) == [second.id, local.id], "retention removed the first offsite backup")
            #expect(
                Dictionary(uniqueKeysWithValues: listed.map { ($0.id, $0.target) }) == [
                    second.id: "offsite", local.id: "default",
                ])
            let table = try daemon.cli(["list", guest.name]).stdout
            #expect(table.contains("TARGET") && table.contains("offsite"), "\(table)")

            let unknown = try daemon.cli(["backup", guest.name, "--target", "nowhere", "--wait"])
            #expect(unknown.status != 0)
            #expect(
                unknown.stderr.contains("no target named \"nowhere\" (known: default, offsite)"), "\(unknown.stderr)")

            // Retention per target: one backup on each, and keep_last = 1 keeps both.
            let dryRun = try daemon.cli(["prune", guest.name, "--dry-run", "--json"])
            let plan = try APIJSON.decoder().decode(PruneResult.self, from: Data(dryRun.stdout.utf8))
            #expect(plan.removed.isEmpty, "\(dryRun.stdout)")
            #expect(Set(plan.entries.compactMap(\.target)) == ["default", "offsite"])

            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            #expect(status.targets?.map(\.name) == ["default", "offsite"])
            #expect(status.targets?.last?.maxConcurrentJobs == 1)

            let metrics = try daemon.request("GET", "/metrics").body
            #expect(metrics.contains(#"vmbackup_bytes_written_total{target="offsite"}"#), "\(metrics)")
            #expect(metrics.contains(#"vmbackup_bytes_written_total{target="default"}"#), "\(metrics)")

            // A reload that moves the offsite target is refused and changes nothing.
            try config.replacingOccurrences(of: offsite, with: root + "/elsewhere").write(
                toFile: root + "/vmbackupd.toml", atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            try waitFor("the reload to be refused") { daemon.logText.contains("configuration not reloaded") }
            #expect(daemon.logText.contains("restart vmbackupd"))
            let afterReload = try backUp(guest.name, on: daemon)
            #expect(afterReload.location.hasPrefix(offsite + "/"), "\(afterReload.location)")

            // Deleting a backup removes it from its own target.
            #expect(try daemon.cli(["delete", guest.name, local.id]).status == 0)
            #expect(!FileManager.default.fileExists(atPath: local.location))
            #expect(FileManager.default.fileExists(atPath: afterReload.location))

            // The catalog comes back from both targets alone.
            _ = daemon.stop()
            stopped = true
            try config.write(toFile: root + "/vmbackupd.toml", atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(atPath: root + "/state/catalog.sqlite")
            let rebuild = try Shell.run(
                [TestHost.binDirectory + "/vmbackupd", "--rebuild-catalog", "--config", root + "/vmbackupd.toml"]
                    + Daemon.flags(root: root), check: false)
            #expect(rebuild.status == 0, "\(rebuild.stderr)")
            #expect(rebuild.stdout.contains("target offsite (\(offsite)): 1 backups of 1 VMs"), "\(rebuild.stdout)")
            let again = try Daemon.start(config: config, root: root)
            defer { again.stop() }
            let relisted = try list(guest.name, on: again)
            #expect(relisted.map(\.id) == [afterReload.id])
            #expect(relisted.first?.target == "offsite")
        }

        // MARK: Helpers

        private func backUp(_ vm: String, on daemon: Daemon, extra: [String] = []) throws -> BackupSummary {
            let run = try daemon.cli(["backup", vm, "--wait", "--json"] + extra)
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            return try #require(task.result, "\(run.stderr)")
        }

        private func list(_ vm: String, on daemon: Daemon) throws -> [BackupSummary] {
            let list = try daemon.cli(["list", vm, "--json"])
            return try APIJSON.decoder().decode([BackupSummary].self, from: Data(list.stdout.utf8))
        }

        private func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
            for _ in 0..<100 {
                if try condition() { return }
                usleep(100_000)
            }
            Issue.record("timed out waiting for \(what)")
        }
    }
}
