import APIModel
import Foundation
import Targets
import Testing

/// End to end against real libvirtd, QEMU and the guest agent: the daemon and the CLI as built.
extension Integration {
    @Suite struct BackupRunningGuestTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func aRunningGuestWithQcow2AndRawDisksIsBackedUpWithItsFiles() throws {
            let guest = try TestGuest.make("two-disks", disks: [(64, "qcow2"), (64, "raw")])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let hashes = try guest.writeKnownFiles(on: ["vda", "vdb"])
            let expected = ["vda": hashes[0], "vdb": hashes[1]]
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "backup failed: \(run.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            let backup = try #require(task.result)
            #expect(task.state == .succeeded)
            #expect(backup.consistency == .filesystem)
            #expect(backup.location.hasPrefix(daemon.targetDirectory + "/"))

            let manifest = try Manifest.read(backup.location)
            #expect(manifest.consistency == .filesystem)
            for target in ["vda", "vdb"] {
                let disk = try #require(manifest.disks.first { $0.target == target })
                #expect(disk.method == .qcow2)
                let image = backup.location + "/" + (disk.file ?? "")
                try BackupImage.expectMatchesIndex(backup.location, target: target, digest: disk.digest)
                let inBackup = try BackupImage.withFilesystem(of: image) { try Shell.sha256(ofFile: $0 + "/known") }
                #expect(inBackup == expected[target], "the file on \(target) in the backup")
            }
            #expect(FileManager.default.fileExists(atPath: backup.location + "/domain.xml"))

            // The guest runs on its own images again, nothing is left behind, and it is thawed.
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
            #expect(try guest.freezeStatus() == "thawed")
            #expect(daemon.targetEntries().allSatisfy { !$0.contains(".partial-") })

            let list = try daemon.cli(["list", guest.name, "--json"])
            #expect(list.status == 0)
            let listed = try APIJSON.decoder().decode([BackupSummary].self, from: Data(list.stdout.utf8))
            #expect(listed.map(\.id) == [backup.id])
        }

        @Test func writesMadeDuringTheBackupLandInTheLiveImages() throws {
            let guest = try TestGuest.make("writing", disks: [(64, "qcow2")])
            defer { guest.remove() }
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            // The guest writes 40 files, syncing after each, while the backup runs.
            let writer = try guest.startInGuest(
                """
                i=0; while [ $i -lt 40 ]; do dd if=/dev/urandom of=/mnt/vda/w$i bs=64k count=4 2>/dev/null; sync; i=$((i+1)); done
                cd /mnt/vda && sha256sum w* > sums && sync && cat sums
                """)
            var started = false
            for _ in 0..<100 where !started {
                started = (try? guest.runInGuest("ls /mnt/vda/w2"))?.isEmpty == false
                if !started { usleep(100_000) }
            }
            #expect(try guest.guestStatus(writer) == nil, "the writer must still be running when the backup starts")

            let run = try daemon.cli(["backup", guest.name, "--wait"])
            #expect(run.status == 0, "backup failed: \(run.stderr)\n\(daemon.logText)")
            let sums = try guest.waitInGuest(writer, timeoutSeconds: 300)
            #expect(sums.split(separator: "\n").count == 40)
            #expect(try guest.strayFiles() == [])

            // Every write reached the live image, not an overlay that was thrown away.
            _ = try TestHost.virsh(["destroy", guest.name])
            let live = try BackupImage.withFilesystem(of: guest.disks[0], replayJournal: true) { root in
                try String(contentsOfFile: root + "/sums", encoding: .utf8)
            }
            #expect(live == sums)
            try BackupImage.withFilesystem(of: guest.disks[0], replayJournal: true) { root in
                let check = try Shell.run(["sh", "-c", "cd \(root) && sha256sum -c sums"], check: false)
                #expect(check.status == 0, "\(check.stdout)")
            }
        }

        @Test func quiesceRequiredWithoutAnAgentFailsAndChangesNothingButPreferredFallsBack() throws {
            let guest = try TestGuest.make("no-agent", disks: [(64, "qcow2")], agent: false)
            defer { guest.remove() }
            let original = try guest.diskSources()
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let required = try daemon.cli(["backup", guest.name, "--quiesce", "required", "--wait"])
            #expect(required.status != 0)
            #expect(required.stderr.contains("agent"), "\(required.stderr)")
            #expect(required.stderr.split(separator: "\n").count == 1, "one clear line: \(required.stderr)")
            #expect(daemon.targetEntries() == [])
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])

            let preferred = try daemon.cli(["backup", guest.name, "--quiesce", "preferred", "--wait", "--json"])
            #expect(preferred.status == 0, "\(preferred.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(preferred.stdout.utf8))
            let backup = try #require(task.result)
            #expect(backup.consistency == .crash)
            #expect(try Manifest.read(backup.location).consistency == .crash)
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
        }

        @Test func stoppingTheDaemonMidBackupThawsMergesAndPublishesNothing() throws {
            let guest = try TestGuest.make("sigterm", disks: [(512, "qcow2")], prefillMiB: 384)
            defer { guest.remove() }
            let original = try guest.diskSources()
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let accepted = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            #expect(accepted.status == 202)
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(accepted.body.utf8))
            var streaming = false
            for _ in 0..<600 where !streaming {
                let (_, body) = try daemon.request("GET", "/v1/tasks/\(task.id)")
                let info = try APIJSON.decoder().decode(TaskInfo.self, from: Data(body.utf8))
                streaming = info.step == "streaming" && info.progress.doneBytes > 0
                #expect(!info.state.isFinished, "the backup finished before the daemon could be stopped")
                if info.state.isFinished { return }
                if !streaming { usleep(20_000) }
            }
            #expect(streaming)

            #expect(daemon.stop() == 0, "\(daemon.logText)")
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
            #expect(try guest.freezeStatus() == "thawed")
            #expect(daemon.targetEntries().allSatisfy { !$0.contains(".partial-") }, "\(daemon.targetEntries())")
            #expect(daemon.targetEntries().filter { $0.split(separator: "/").count == 2 } == [])
        }
    }
}
