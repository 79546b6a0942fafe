import APIModel
import Foundation
import Testing

extension Integration {
    /// A daemon killed in the middle of a backup (`VMBACKUPD_CRASH_AT` makes it SIGKILL itself at
    /// a chosen step, as a crash or `kill -9` would) leaves a frozen guest, snapshots and a partial
    /// folder; the next start undoes all of it from the journal before it answers.
    @Suite struct CrashRecoveryTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func aDaemonKilledWithTheGuestFrozenAndSnapshottedRecoversAtItsNextStart() throws {
            let btrfs = try ScratchFilesystem.make("crash", .btrfs)
            defer { btrfs.remove() }
            let guest = try TestGuest.make(
                "crash", disks: [(64, "qcow2"), (64, "raw")], diskDirectories: [nil, btrfs.images])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let root = try TestHost.makeWorkDirectory("daemon")
            let crashing = try Daemon.start(root: root, environment: ["VMBACKUPD_CRASH_AT": "snapshotted"])
            defer { crashing.stop() }

            let accepted = try crashing.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            #expect(accepted.status == 202, "\(accepted.body)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(accepted.body.utf8))
            #expect(crashing.waitForExit(seconds: 60), "the daemon did not kill itself")

            // What the crash left: a frozen guest on its overlay, a btrfs snapshot, a partial folder.
            #expect(try guest.freezeStatus() == "frozen")
            #expect(try guest.diskSources()["vda"] != original["vda"], "vda runs on its overlay")
            #expect(try btrfs.otherSubvolumes().count == 1, "the snapshot of the btrfs subvolume")
            #expect(crashing.targetEntries().contains { $0.contains("/.partial-") }, "\(crashing.targetEntries())")

            let recovered = try Daemon.start(root: root)
            defer { recovered.stop() }
            #expect(try guest.freezeStatus() == "thawed", "\(recovered.logText)")
            #expect(try guest.diskSources() == original, "back on its images: the overlay was committed")
            #expect(try guest.strayFiles() == [], "no overlay or snapshot is left")
            #expect(try btrfs.otherSubvolumes() == [])
            #expect(recovered.targetEntries().isEmpty, "nothing published, no partial folder: \(recovered.targetEntries())")
            #expect(recovered.logText.contains("interrupted backup recovered"))

            let shown = try recovered.cli(["task", task.id, "--json"])
            let info = try APIJSON.decoder().decode(TaskInfo.self, from: Data(shown.stdout.utf8))
            #expect(info.state == .failed)
            #expect(info.error?.code == .interrupted, "\(shown.stdout)")

            // The guest is fit for the next backup.
            let run = try recovered.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(recovered.logText)")
            #expect(try guest.diskSources() == original)
            #expect(try guest.freezeStatus() == "thawed")
        }

        /// An overlay cannot be committed while its VM is down: recovery keeps it, `status` says so,
        /// a backup of that VM is refused; once the VM runs again, its next backup first commits it.
        @Test func anOverlayOfAVMThatWentDownIsKeptUntilTheVMRunsAgain() throws {
            let guest = try TestGuest.make("crash-down", disks: [(64, "qcow2")])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let root = try TestHost.makeWorkDirectory("daemon")
            let crashing = try Daemon.start(root: root, environment: ["VMBACKUPD_CRASH_AT": "streaming"])
            defer { crashing.stop() }
            let accepted = try crashing.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            #expect(accepted.status == 202, "\(accepted.body)")
            #expect(crashing.waitForExit(seconds: 60), "the daemon did not kill itself")
            #expect(try guest.diskSources() != original, "the guest runs on its overlay")
            _ = try TestHost.virsh(["destroy", guest.name])

            let daemon = try Daemon.start(root: root)
            defer { daemon.stop() }
            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            let problems = status.unresolvedRecoveries ?? []
            #expect(problems.count == 1 && problems[0].contains("not running"), "\(problems)")
            #expect(try daemon.cli(["status"]).stdout.contains("NOT RECOVERED"))
            let refused = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            #expect(refused.status == 412, "\(refused.body)")
            #expect(refused.body.contains("could not be undone"), "\(refused.body)")
            #expect(try guest.strayFiles().count == 1, "the overlay, which holds the guest's writes, is kept")

            _ = try TestHost.virsh(["start", guest.name])
            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            #expect(try guest.diskSources() == original, "committed back onto its image")
            #expect(try guest.strayFiles() == [])
            let after = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            #expect(after.unresolvedRecoveries ?? [] == [])
        }

        /// What a crash leaves on the target outside any journaled job (a delete or a manifest edit
        /// cut short, a partial folder) is cleaned up at start; published backups stay listed.
        @Test func leftoversOnTheTargetAreSweptAtStart() throws {
            let guest = try TestGuest.make("sweep", disks: [(16, "raw")], start: false, prefillMiB: 4)
            defer { guest.remove() }
            let first = try Daemon.start()
            var ids: [String] = []
            for _ in 0..<2 {
                let run = try first.cli(["backup", guest.name, "--wait", "--json"])
                let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
                ids.append(try #require(task.result?.id, "\(run.stderr)"))
            }
            let vmFolder = first.targetDirectory + "/" + (try guest.uuid())
            let root = first.detach()
            // A delete cut short after its rename, an edit before its rename, a job never journaled.
            let fm = FileManager.default
            try fm.moveItem(atPath: vmFolder + "/" + ids[0], toPath: vmFolder + "/.deleting-" + ids[0])
            try "{}".write(toFile: vmFolder + "/" + ids[1] + "/.manifest.json.new", atomically: false, encoding: .utf8)
            let partial = vmFolder + "/.partial-20261122T013000Z-0bad"
            try fm.createDirectory(atPath: partial, withIntermediateDirectories: false)
            try "x".write(toFile: partial + "/vda.qcow2", atomically: false, encoding: .utf8)

            let second = try Daemon.start(root: root)
            defer { second.stop() }
            #expect(try fm.contentsOfDirectory(atPath: vmFolder) == [ids[1]], "\(second.logText)")
            #expect(!fm.fileExists(atPath: vmFolder + "/" + ids[1] + "/.manifest.json.new"))
            let list = try second.cli(["list", guest.name, "--json"])
            let listed = try APIJSON.decoder().decode([BackupSummary].self, from: Data(list.stdout.utf8))
            #expect(listed.map(\.id) == [ids[1]])
            #expect(second.logText.contains("removed what interrupted work left on the target"))
        }
    }
}
