import APIModel
import Foundation
import Testing

extension Integration {
    /// `vmbackup verify` against a real daemon: backups of one shut-off guest (read by the offline
    /// method, so each takes a second) checked as they are, then with a byte of stored data
    /// flipped, an image cut short, an index or image gone, and as a format 1 backup.
    @Suite(VerifyGuest.shared) struct VerifyTests {
        private var guest: VerifyGuest { VerifyGuest.current! }

        @Test func aFreshBackupVerifiesAndIsShownAsVerified() throws {
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let backup = try guest.backUp(on: daemon)

            let run = try daemon.cli(["verify", guest.name, backup.id, "--wait", "--json"])

            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            #expect(task.kind == "verify" && task.state == .succeeded)
            #expect(task.result?.verification?.ok == true)
            #expect(task.progress.totalBytes == VerifyGuest.virtualBytes)
            #expect(task.progress.doneBytes == task.progress.totalBytes)
            let listed = try Self.list(guest.name, on: daemon)
            #expect(listed.first?.verification?.ok == true)
            #expect(listed.first?.verification?.task == task.id)
            let table = try daemon.cli(["list", guest.name]).stdout
            #expect(table.contains("VERIFIED") && table.contains("ok "), "\(table)")
            let show = try daemon.cli(["show", guest.name, backup.id]).stdout
            #expect(show.contains("verified") && show.contains("ok ("), "\(show)")
            let text = try daemon.cli(["verify", guest.name, "latest", "--wait"])
            #expect(text.status == 0 && text.stdout.contains("verified: ok"), "\(text.stdout)\(text.stderr)")
            #expect(text.stdout.contains("backup \(backup.id) of VM"), "latest names the newest: \(text.stdout)")

            let metrics = try daemon.request("GET", "/metrics").body
            #expect(metrics.contains(#"vmbackup_verify_total{result="ok"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"vmbackup_last_verify_timestamp_seconds{vm="\#(guest.name)"}"#))
            #expect(
                metrics.contains(#"vmbackup_backups_total{result="succeeded",vm="\#(guest.name)"} 1"#),
                "a verify is no backup")
        }

        @Test func aFlippedByteFailsNamingTheDiskAndOffsetAndTheBackupIsKeptMarked() throws {
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let backup = try guest.backUp(on: daemon)
            let offset = try VerifyGuest.flipDataByte(in: backup.location + "/vda.qcow2")
            let chunk = offset / (1 << 20) * (1 << 20)

            let run = try daemon.cli(["verify", guest.name, backup.id, "--wait"])

            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("failed verification"), "\(run.stderr)")
            #expect(run.stderr.contains("disk vda") && run.stderr.contains("offset \(chunk)"), "\(run.stderr)")
            // Without a terminal the CLI prints progress lines too; the failure is one line.
            let failure = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("progress ") }
            #expect(failure.count == 1, "one line: \(run.stderr)")
            let verification = try #require(try Self.list(guest.name, on: daemon).first?.verification)
            #expect(!verification.ok)
            #expect(verification.problem?.disk == "vda" && verification.problem?.offset == chunk)
            #expect(try daemon.cli(["list", guest.name]).stdout.contains("FAILED"))
            let show = try daemon.cli(["show", guest.name, backup.id]).stdout
            #expect(show.contains("FAILED") && show.contains("offset \(chunk)"), "\(show)")
            let shown = try APIJSON.decoder().decode(
                BackupSummary.self, from: Data(try daemon.cli(["show", guest.name, backup.id, "--json"]).stdout.utf8))
            #expect(shown.verification == verification)

            // Retention keeps it and says why; an explicit delete removes it.
            let second = try guest.backUp(on: daemon)
            let prune = try daemon.request("POST", "/v1/vms/\(guest.name)/prune", body: #"{"dryRun":true}"#)
            let result = try APIJSON.decoder().decode(PruneResult.self, from: Data(prune.body.utf8))
            let entry = try #require(result.entries.first { $0.id == backup.id }, "\(prune.body)")
            #expect(entry.action == "keep")
            #expect(entry.reasons.contains { $0.contains("failed verification") }, "\(entry.reasons)")
            let delete = try daemon.cli(["delete", guest.name, backup.id])
            #expect(delete.status == 0, "\(delete.stderr)")
            #expect(try Self.list(guest.name, on: daemon).map(\.id) == [second.id])
            #expect(try daemon.request("GET", "/metrics").body.contains(#"vmbackup_verify_total{result="failed"} 1"#))
        }

        @Test func anImageCutShortFailsSayingSo() throws {
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let backup = try guest.backUp(on: daemon)
            let image = backup.location + "/vda.qcow2"
            let size = try #require(try FileManager.default.attributesOfItem(atPath: image)[.size] as? Int)
            try Shell.run(["truncate", "-s", String(size / 2), image])

            let run = try daemon.cli(["verify", guest.name, backup.id, "--wait"])

            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("vda.qcow2 is cut short"), "\(run.stderr)")
            #expect(try Self.list(guest.name, on: daemon).first?.verification?.problem?.disk == "vda")
        }

        @Test func aMissingIndexOrImageFailsNamingIt() throws {
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let first = try guest.backUp(on: daemon)
            let second = try guest.backUp(on: daemon)
            try FileManager.default.removeItem(atPath: first.location + "/vda.index")
            try FileManager.default.removeItem(atPath: second.location + "/vdb.qcow2")

            let noIndex = try daemon.cli(["verify", guest.name, first.id, "--wait"])
            let noImage = try daemon.cli(["verify", guest.name, second.id, "--wait"])

            #expect(noIndex.status == 1 && noIndex.stderr.contains("vda.index is missing"), "\(noIndex.stderr)")
            #expect(noImage.status == 1 && noImage.stderr.contains("vdb.qcow2 is missing"), "\(noImage.stderr)")
            #expect(daemon.isRunning)
        }

        @Test func verifyAllChecksEveryBackupInTurnAndFailsWhenOneDoes() throws {
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let good = try guest.backUp(on: daemon)
            let bad = try guest.backUp(on: daemon)
            _ = try VerifyGuest.flipDataByte(in: bad.location + "/vdb.qcow2")

            let run = try daemon.cli(["verify", guest.name, "--all"])

            #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(run.stdout)")
            #expect(lines.first?.hasPrefix("\(good.id)  ok") == true, "\(run.stdout)")
            #expect(lines.last?.hasPrefix("\(bad.id)  FAILED  disk vdb") == true, "\(run.stdout)")
            #expect(run.stderr.contains("1 of 2 backup(s)"), "\(run.stderr)")

            let json = try daemon.cli(["verify", guest.name, "--all", "--json"])
            let tasks = try APIJSON.decoder().decode([TaskInfo].self, from: Data(json.stdout.utf8))
            #expect(tasks.map(\.state) == [.succeeded, .failed])
        }

        /// A format 1 backup (one SHA-256 per disk, no index), read from the target by a daemon
        /// started on it, verifies and restores; the verification made before the restart is still
        /// shown.
        @Test func aFormatOneBackupVerifiesAndVerificationsSurviveARestart() throws {
            let daemon = try Daemon.start()
            let backup = try guest.backUp(on: daemon)
            #expect(try daemon.cli(["verify", guest.name, backup.id, "--wait"]).status == 0)
            let before = try #require(try Self.list(guest.name, on: daemon).first?.verification)
            let root = daemon.detach()
            try VerifyGuest.rewriteAsFormatOne(backup.location)

            let restarted = try Daemon.start(root: root)
            defer { restarted.stop() }
            #expect(try Self.list(guest.name, on: restarted).first?.verification == before, "kept across the rebuild")
            let run = try restarted.cli(["verify", guest.name, backup.id, "--wait", "--json"])

            #expect(run.status == 0, "\(run.stderr)\n\(restarted.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            #expect(task.result?.verification?.ok == true)
            #expect(
                task.result?.disks.allSatisfy { $0.excluded != nil || ($0.sha256 != nil && $0.digest == nil) } == true)

            // It restores too, each disk checked against its whole-content SHA-256.
            let out = try TestHost.makeWorkDirectory("format-one-out")
            defer { try? FileManager.default.removeItem(atPath: out) }
            let restore = try restarted.cli(["restore", guest.name, backup.id, "--to", out, "--wait", "--json"])
            #expect(restore.status == 0, "\(restore.stderr)\n\(restarted.logText)")
            let restored = try #require(
                try APIJSON.decoder().decode(TaskInfo.self, from: Data(restore.stdout.utf8)).restored)
            #expect(!restored.disks.isEmpty)
            for disk in restored.disks {
                let stored = task.result?.disks.first { $0.target == disk.target }
                #expect(disk.checkedDigest != nil && disk.checkedDigest == stored?.sha256)
                let same = try Shell.run(
                    [
                        "qemu-img", "compare", "-f", "qcow2", "-F", "qcow2", disk.path,
                        backup.location + "/\(disk.target).qcow2",
                    ],
                    check: false)
                #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
            }

            _ = try VerifyGuest.flipDataByte(in: backup.location + "/vda.qcow2")
            let broken = try restarted.cli(["verify", guest.name, backup.id, "--wait"])
            #expect(broken.status == 1 && broken.stderr.contains("disk vda"), "\(broken.stderr)")
            #expect(broken.stderr.contains("the manifest says"), "\(broken.stderr)")
        }

        /// A policy's verify schedule verifies the backups not verified lately, once each.
        @Test func theVerifyScheduleVerifiesWhatWasNotVerifiedLately() throws {
            let config = """
                [policy.checked]
                # Every 5 seconds: the test sees several runs in well under a minute.
                verify_schedule = "*:*:0/5"
                reverify_after = "1h"

                [[vm]]
                name = "\(guest.name)"
                policy = "checked"
                """
            let daemon = try Daemon.start(config: config)
            defer { daemon.stop() }
            let backup = try guest.backUp(on: daemon)

            var verification: Verification?
            for _ in 0..<600 where verification == nil {
                verification = try Self.list(guest.name, on: daemon).first { $0.id == backup.id }?.verification
                if verification == nil { usleep(100_000) }
            }
            #expect(verification?.ok == true, "\(daemon.logText)")
            #expect(daemon.logText.contains("scheduled verify started"))

            // Two more runs: the backup was verified within the hour, so none verifies it again.
            sleep(11)
            let (_, body) = try daemon.request("GET", "/v1/tasks")
            let verifies = try APIJSON.decoder().decode([TaskInfo].self, from: Data(body.utf8)).filter {
                $0.kind == "verify"
            }
            #expect(verifies.count == 1, "\(verifies.map(\.id))")
        }

        @Test func badInputGetsClearErrorsAndNeverA500() throws {
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let backup = try guest.backUp(on: daemon)

            let unknownVM = try daemon.cli(["verify", "vmbt-verify-no-such-vm", backup.id])
            #expect(unknownVM.status == 4 && unknownVM.stderr.contains("vmbt-verify-no-such-vm"), "\(unknownVM.stderr)")
            let unknownBackup = try daemon.request("POST", "/v1/vms/\(guest.name)/backups/20200101T000000Z-0000/verify")
            #expect(unknownBackup.status == 404 && unknownBackup.body.contains("backup_not_found"))
            let cli = try daemon.cli(["verify", guest.name, "20200101T000000Z-0000", "--wait"])
            #expect(cli.status == 4, "\(cli.stderr)")
            let badBody = try daemon.request(
                "POST", "/v1/vms/\(guest.name)/backups/\(backup.id)/verify", body: #"{"deep":true}"#)
            #expect(badBody.status == 400 && badBody.body.contains("unknown field 'deep'"), "\(badBody.body)")
            let neither = try daemon.cli(["verify", guest.name])
            #expect(neither.status == 2, "\(neither.stderr)")
            let both = try daemon.cli(["verify", guest.name, backup.id, "--all"])
            #expect(both.status == 2, "\(both.stderr)")

            let queued = try daemon.cli(["verify", guest.name, backup.id])
            #expect(queued.status == 0)
            let task = try daemon.waitForTask(queued.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(task.state == .succeeded, "\(String(describing: task.error))")
            #expect(daemon.isRunning)
        }

        private static func list(_ vm: String, on daemon: Daemon) throws -> [BackupSummary] {
            let run = try daemon.cli(["list", vm, "--json"])
            guard run.status == 0 else { throw Shell.Failure(command: ["vmbackup", "list", vm], output: run) }
            return try APIJSON.decoder().decode([BackupSummary].self, from: Data(run.stdout.utf8))
        }
    }
}

/// The one shut-off guest the verify suite backs up: a qcow2 and a raw disk with some data,
/// defined once for the suite (firmware only: it never boots) and removed after it.
struct VerifyGuest: Sendable {
    let name: String
    let directory: String
    let disks: [String]

    /// The guest-visible bytes of its disks.
    static let virtualBytes: UInt64 = (24 + 16) << 20

    @TaskLocal static var current: VerifyGuest?

    /// Gives the suite its guest.
    static let shared = Scope()

    struct Scope: SuiteTrait, TestScoping {
        var isRecursive: Bool { false }

        func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            let guest = try VerifyGuest.make()
            defer { guest.remove() }
            try await VerifyGuest.$current.withValue(guest) { try await function() }
        }
    }

    private static func make() throws -> VerifyGuest {
        let name = TestHost.domainPrefix + "verify"
        _ = try? TestHost.virsh(["undefine", "--checkpoints-metadata", name], check: false)
        let directory = try TestHost.makeWorkDirectory("verify")
        let disks = [directory + "/vda.qcow2", directory + "/vdb.raw"]
        try TestHost.makeDisk(disks[0], sizeMiB: 24, format: "qcow2", prefillMiB: 3)
        try TestHost.makeDisk(disks[1], sizeMiB: 16, format: "raw", prefillMiB: 2)
        let guest = VerifyGuest(name: name, directory: directory, disks: disks)
        try guest.define()
        return guest
    }

    /// Defines the domain, shut off. Other suites sweep every test domain when they start; a
    /// backup defines it again when it is gone.
    private func define() throws {
        try Shell.run(
            [TestHost.script("define-vm.sh"), name, directory, "--firmware-only", "--no-start"]
                + [disks[0] + ":qcow2", disks[1] + ":raw"])
    }

    private func remove() {
        _ = try? TestHost.virsh(["undefine", "--checkpoints-metadata", name], check: false)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Backs the guest up on `daemon` and returns the backup.
    func backUp(on daemon: Daemon) throws -> BackupSummary {
        if (try? TestHost.virsh(["domstate", name]))?.status != 0 { try define() }
        let run = try daemon.cli(["backup", name, "--wait", "--json"])
        guard run.status == 0 else { throw Shell.Failure(command: ["vmbackup", "backup", name], output: run) }
        let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
        guard let backup = task.result else {
            throw Shell.Failure(command: ["vmbackup", "backup", name], output: run)
        }
        return backup
    }

    /// Flips one byte of guest data in the qcow2 image at `image`, found with `qemu-img map` in its
    /// first extent of data (its last with `lastExtent`, far from what a boot reads), and returns
    /// the guest-visible offset of that byte.
    static func flipDataByte(in image: String, lastExtent: Bool = false) throws -> UInt64 {
        struct Extent: Decodable {
            var start: UInt64
            var length: UInt64
            var data: Bool
            var offset: UInt64?
        }
        let map = try Shell.run(["qemu-img", "map", "--output=json", "-f", "qcow2", image]).stdout
        let extents = try JSONDecoder().decode([Extent].self, from: Data(map.utf8))
        // A byte a little way into an extent of data.
        let delta: UInt64 = 4096 + 17
        let candidates = extents.filter { $0.data && $0.offset != nil && $0.length > delta }
        guard let extent = lastExtent ? candidates.last : candidates.first,
            let host = extent.offset
        else {
            throw Shell.Failure(command: ["qemu-img", "map"], output: .init(status: 1, stdout: map, stderr: "no data"))
        }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: image))
        defer { try? handle.close() }
        try handle.seek(toOffset: host + delta)
        let byte = try handle.read(upToCount: 1)?.first ?? 0
        try handle.seek(toOffset: host + delta)
        try handle.write(contentsOf: [byte ^ 0x5a])
        try handle.synchronize()
        return extent.start + delta
    }

    /// Makes the backup in `folder` a format 1 backup: manifest schema version 1, each disk with
    /// the SHA-256 of its whole guest-visible content and no index.
    static func rewriteAsFormatOne(_ folder: String) throws {
        let path = folder + "/manifest.json"
        var manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        manifest["schemaVersion"] = 1
        manifest["files"] = nil
        let disks = try #require(manifest["disks"] as? [[String: Any]])
        manifest["disks"] = try disks.map { disk -> [String: Any] in
            guard disk["excluded"] == nil, let file = disk["file"] as? String else { return disk }
            var disk = disk
            if let index = disk["index"] as? String { try FileManager.default.removeItem(atPath: folder + "/" + index) }
            disk["index"] = nil
            disk["chunkSize"] = nil
            disk["digest"] = nil
            disk["sha256"] = try BackupImage.contentHash(folder + "/" + file)
            return disk
        }
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }
}
