import APIModel
import Foundation
import Targets
import Testing

extension Integration {
    /// The daemon run unattended from a config file: scheduled backups, retention, the catalog and
    /// its operations, configuration reloads. Shut-off guests keep each backup to a second or two.
    @Suite struct ScheduleAndCatalogTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func scheduledBackupsRunAndRetentionKeepsTheNewest() throws {
            let guest = try TestGuest.make("scheduled", disks: [(16, "raw")], start: false, prefillMiB: 4)
            defer { guest.remove() }
            let config = """
                [policy.often]
                # Every 5 seconds: the test sees two runs within seconds.
                schedule = "*:*:0/5"
                keep_last = 1

                [[vm]]
                name = "\(guest.name)"
                policy = "often"
                """
            let daemon = try Daemon.start(config: config)
            defer { daemon.stop() }

            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            let entry = try #require(status.schedule.first { $0.vmName == guest.name }, "\(daemon.logText)")
            #expect(entry.policy == "often")
            #expect(entry.schedule == "*-*-* *:*:00/5")
            #expect(entry.nextRun != nil)

            #expect(try waitForScheduledBackups(2, of: guest.name, on: daemon).count >= 2, "\(daemon.logText)")
            // Stop the schedule (a reload without it) and let a run in flight end, so that what
            // the target holds is checked against the last backup made.
            try config.replacingOccurrences(of: "schedule = \"*:*:0/5\"", with: "").write(
                toFile: daemon.root + "/vmbackupd.toml", atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            try waitFor("the schedule to be reloaded away", on: daemon) {
                daemon.logText.contains("configuration reloaded")
            }
            var tasks: [TaskInfo] = []
            for _ in 0..<600 {
                tasks = try APIJSON.decoder().decode(
                    [TaskInfo].self, from: Data(daemon.request("GET", "/v1/tasks").body.utf8))
                if tasks.allSatisfy(\.state.isFinished) { break }
                usleep(100_000)
            }
            let succeeded = tasks.filter { $0.vm == guest.name && $0.state == .succeeded }
            let newest = try #require(succeeded.compactMap(\.result).max { $0.created < $1.created })

            let list = try daemon.cli(["list", guest.name, "--json"])
            #expect(list.status == 0, "\(list.stderr)")
            let backups = try APIJSON.decoder().decode([BackupSummary].self, from: Data(list.stdout.utf8))
            #expect(backups.map(\.id) == [newest.id], "keep_last = 1 leaves the newest only")
            let onTarget = daemon.targetEntries().filter { !$0.contains("/.") }
            #expect(onTarget.count == 1, "retention removed the older backup from the target: \(onTarget)")
            let tree = try daemon.cli(["list", guest.name, "--tree"])
            #expect(tree.status == 0 && tree.stdout.contains(newest.id), "\(tree.stdout)\(tree.stderr)")
            #expect(daemon.logText.contains("scheduled backup started"))

            let metrics = try daemon.request("GET", "/metrics")
            #expect(metrics.status == 200)
            let successes = metrics.body.split(separator: "\n").first {
                $0.hasPrefix(#"vmbackup_backups_total{result="succeeded",vm="\#(guest.name)"}"#)
            }
            let count = successes.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            #expect(count >= 2, "\(metrics.body)")
            #expect(metrics.body.contains("vmbackup_last_success_timestamp_seconds"))
        }

        @Test func theCatalogIsRebuiltFromTheTargetAlone() throws {
            let guest = try TestGuest.make("rebuild", disks: [(16, "raw")], start: false, prefillMiB: 4)
            defer { guest.remove() }
            let first = try Daemon.start()
            for name in ["one", "two"] {
                let run = try first.cli(["backup", guest.name, "--name", name, "--wait"])
                #expect(run.status == 0, "\(run.stderr)")
            }
            let before = try first.cli(["list", guest.name, "--json"]).stdout
            let root = first.detach()
            try FileManager.default.removeItem(atPath: root + "/state/catalog.sqlite")

            let rebuild = try Shell.run(
                [TestHost.binDirectory + "/vmbackupd", "--rebuild-catalog"] + Daemon.flags(root: root), check: false)
            #expect(rebuild.status == 0, "\(rebuild.stderr)")
            #expect(rebuild.stdout.contains("2 backups of 1 VMs"), "\(rebuild.stdout)")

            let second = try Daemon.start(root: root)
            defer { second.stop() }
            let after = try second.cli(["list", guest.name, "--json"]).stdout
            let decode = { (text: String) in try APIJSON.decoder().decode([BackupSummary].self, from: Data(text.utf8)) }
            #expect(try decode(after) == decode(before))
            #expect(try decode(after).map(\.name) == ["one", "two"])
        }

        @Test func backupsAreRenamedDescribedProtectedAndDeleted() throws {
            let guest = try TestGuest.make("catalog-ops", disks: [(16, "raw")], start: false, prefillMiB: 4)
            defer { guest.remove() }
            let config = """
                [policy.one]
                keep_last = 1

                [[vm]]
                name = "\(guest.name)"
                policy = "one"
                """
            let daemon = try Daemon.start(config: config)
            defer { daemon.stop() }
            let first = try backUp(guest.name, on: daemon)
            #expect(try daemon.cli(["protect", guest.name, first.id]).status == 0)
            let second = try backUp(guest.name, on: daemon)
            // keep_last = 1 after the second backup: the first stays, as it is protected.
            #expect(try ids(of: guest.name, on: daemon) == [first.id, second.id])

            let rename = try daemon.cli(["rename", guest.name, first.id, "golden"])
            #expect(rename.status == 0, "\(rename.stderr)")
            #expect(try daemon.cli(["describe", guest.name, first.id, "before the upgrade"]).status == 0)
            let shown = try APIJSON.decoder().decode(
                BackupSummary.self, from: Data(try daemon.cli(["show", guest.name, first.id, "--json"]).stdout.utf8))
            #expect(shown.name == "golden")
            #expect(shown.description == "before the upgrade")
            #expect(shown.protected)
            let manifest = try Manifest.read(shown.location)
            #expect(manifest.name == "golden" && manifest.protected, "the target's manifest holds the change")

            let refused = try daemon.cli(["delete", guest.name, first.id])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("protected"), "\(refused.stderr)")
            #expect(try ids(of: guest.name, on: daemon) == [first.id, second.id], "nothing was deleted")

            let dryRun = try daemon.cli(["prune", guest.name, "--dry-run", "--json"])
            let plan = try APIJSON.decoder().decode(PruneResult.self, from: Data(dryRun.stdout.utf8))
            #expect(plan.dryRun && plan.removed.isEmpty, "\(dryRun.stdout)\(dryRun.stderr)")

            #expect(try daemon.cli(["unprotect", guest.name, first.id]).status == 0)
            let prune = try daemon.cli(["prune", guest.name, "--json"])
            let pruned = try APIJSON.decoder().decode(PruneResult.self, from: Data(prune.stdout.utf8))
            #expect(pruned.removed == [first.id], "\(prune.stdout)\(prune.stderr)")
            #expect(try ids(of: guest.name, on: daemon) == [second.id])

            let delete = try daemon.cli(["delete", guest.name, second.id])
            #expect(delete.status == 0, "\(delete.stderr)")
            #expect(try ids(of: guest.name, on: daemon).isEmpty)
            #expect(daemon.targetEntries().filter { !$0.contains("/.") }.isEmpty)
            let missing = try daemon.cli(["show", guest.name, second.id])
            #expect(missing.status == 4, "\(missing.stderr)")
        }

        @Test func aBadConfigOnReloadKeepsTheOldOne() throws {
            let guest = try TestGuest.make("reload", disks: [(16, "raw")], start: false)
            defer { guest.remove() }
            let config = """
                [policy.nightly]
                schedule = "02:00"

                [[vm]]
                name = "\(guest.name)"
                policy = "nightly"
                """
            let daemon = try Daemon.start(config: config)
            defer { daemon.stop() }
            try "[policy.nightly]\nschedule = \"Mox 02:00\"\n".write(
                toFile: daemon.root + "/vmbackupd.toml", atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            try waitFor("the reload to be refused", on: daemon) {
                daemon.logText.contains("configuration not reloaded")
            }
            #expect(daemon.logText.contains("unknown weekday"))
            #expect(daemon.isRunning)
            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            #expect(status.schedule.map(\.vmName) == [guest.name], "the old schedule stands")
            #expect(status.schedule.first?.schedule == "*-*-* 02:00:00")

            let check = try Shell.run(
                [TestHost.binDirectory + "/vmbackupd", "--check-config", daemon.root + "/vmbackupd.toml"], check: false)
            #expect(check.status == 78, "EX_CONFIG")
            #expect(check.stderr.contains("vmbackupd.toml:2: 'schedule'"), "\(check.stderr)")
            #expect(!check.stderr.contains("Usage:"), "a config error is not a usage error")

            // Against libvirt, a rule that selects no domain is warned about at its line.
            let rules = daemon.root + "/rules.toml"
            try "[[vm]]\nname = \"\(guest.name)\"\n\n[[vm]]\nglob = \"vmbt-no-such-*\"\n".write(
                toFile: rules, atomically: true, encoding: .utf8)
            let coverage = try Shell.run(
                [TestHost.binDirectory + "/vmbackupd", "--check-config", rules, "--libvirt-uri", "qemu:///system"],
                check: false)
            #expect(coverage.status == 0)
            #expect(
                coverage.stderr.contains("rules.toml:5: warning: [[vm]] glob \"vmbt-no-such-*\" matches no domain"),
                "\(coverage.stderr)")
            #expect(!coverage.stderr.contains("name \"\(guest.name)\""), "\(coverage.stderr)")
        }

        // MARK: Helpers

        private func backUp(_ vm: String, on daemon: Daemon) throws -> BackupSummary {
            let run = try daemon.cli(["backup", vm, "--wait", "--json"])
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            return try #require(task.result, "\(run.stderr)")
        }

        private func ids(of vm: String, on daemon: Daemon) throws -> [String] {
            let list = try daemon.cli(["list", vm, "--json"])
            return try APIJSON.decoder().decode([BackupSummary].self, from: Data(list.stdout.utf8)).map(\.id)
        }

        /// The succeeded backup tasks of `vm`, once there are `count` of them (or after 90 s).
        private func waitForScheduledBackups(_ count: Int, of vm: String, on daemon: Daemon) throws -> [TaskInfo] {
            var succeeded: [TaskInfo] = []
            for _ in 0..<900 {
                let (_, body) = try daemon.request("GET", "/v1/tasks")
                let tasks = try APIJSON.decoder().decode([TaskInfo].self, from: Data(body.utf8))
                succeeded = tasks.filter { $0.vm == vm && $0.state == .succeeded }
                if succeeded.count >= count { break }
                usleep(100_000)
            }
            return succeeded
        }

        private func waitFor(_ what: String, on daemon: Daemon, _ condition: () throws -> Bool) throws {
            for _ in 0..<100 {
                if try condition() { return }
                usleep(100_000)
            }
            Issue.record("timed out waiting for \(what)\n\(daemon.logText)")
        }
    }
}
