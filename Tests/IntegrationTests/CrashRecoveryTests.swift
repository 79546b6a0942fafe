import APIModel
import Foundation
import Targets
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
            #expect(
                recovered.targetEntries().isEmpty, "nothing published, no partial folder: \(recovered.targetEntries())")
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
            let crashing = try Self.killedWhileStreaming(guest, root: root, original: original)
            defer { crashing.stop() }
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

        /// A guest without an agent is never frozen: a daemon killed while streaming its backup
        /// leaves an overlay and a partial folder, no freeze; the next start does not try to thaw,
        /// recovers everything, and the VM's next backup runs.
        @Test func aGuestWithoutAnAgentIsRecoveredWithoutAThawAndBackedUpAgain() throws {
            let guest = try TestGuest.make("crash-noagent", disks: [(32, "qcow2")], agent: false)
            defer { guest.remove() }
            let original = try guest.diskSources()
            let root = try TestHost.makeWorkDirectory("daemon")
            let crashing = try Self.killedWhileStreaming(guest, root: root, original: original)
            defer { crashing.stop() }
            #expect(crashing.targetEntries().contains { $0.contains("/.partial-") })

            let daemon = try Daemon.start(root: root)
            defer { daemon.stop() }
            #expect(try guest.diskSources() == original, "committed back: \(daemon.logText)")
            #expect(try guest.strayFiles() == [])
            #expect(daemon.targetEntries().isEmpty, "\(daemon.targetEntries())")
            #expect(daemon.logText.contains("interrupted backup recovered"))
            #expect(!daemon.logText.contains("thawed the guest"), "a guest never frozen is not thawed")
            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try daemon.cli(["status", "--json"]).stdout.utf8))
            #expect(status.unresolvedRecoveries ?? [] == [])

            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            #expect(task.result?.consistency == .crash)
            try BackupImage.expectReadsBack(try #require(task.result))
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
        }

        /// Starts a daemon that kills itself as it begins streaming a backup of `guest`, asks for the
        /// backup, and waits until the daemon is gone with the guest on its overlay.
        private static func killedWhileStreaming(
            _ guest: TestGuest, root: String, original: [String: String]
        ) throws -> Daemon {
            let crashing = try Daemon.start(root: root, environment: ["VMBACKUPD_CRASH_AT": "streaming"])
            do {
                let accepted = try crashing.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
                #expect(accepted.status == 202, "\(accepted.body)")
                #expect(crashing.waitForExit(seconds: 60), "the daemon did not kill itself")
                #expect(try guest.diskSources() != original, "the guest runs on its overlay")
                return crashing
            } catch {
                crashing.stop()
                throw error
            }
        }

        /// What a crash of this daemon leaves on the target outside any journaled job (a delete
        /// cut short, a partial folder) is cleaned up at start; what may be another daemon's work
        /// in progress (its partial folder, one without an owner, a fresh manifest edit) is left
        /// alone and logged; published backups stay listed.
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
            let daemonID = try String(contentsOfFile: root + "/state/daemon-id", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let us = DaemonIdentity(host: DaemonIdentity.currentHost(), daemonID: daemonID)
            let neighbour = DaemonIdentity(host: "kvm-elsewhere", daemonID: UUID().uuidString.lowercased())

            // This daemon's delete cut short after its rename, and its job never journaled; another
            // host's job; a job with no owner; an edit cut short before its rename.
            let fm = FileManager.default
            let deleting = vmFolder + "/.deleting-" + ids[0]
            try fm.moveItem(atPath: vmFolder + "/" + ids[0], toPath: deleting)
            try Self.mark(deleting, as: us)
            let ours = try Self.partial(vmFolder + "/.partial-20261122T013000Z-0bad", owner: us)
            let theirs = try Self.partial(vmFolder + "/.partial-20261122T013000Z-0ace", owner: neighbour)
            let ownerless = try Self.partial(vmFolder + "/.partial-20261122T013000Z-0dad", owner: nil)
            let scratch = vmFolder + "/" + ids[1] + "/.manifest.json.new"
            try "{}".write(toFile: scratch, atomically: false, encoding: .utf8)

            let second = try Daemon.start(root: root)
            defer { second.stop() }
            #expect(!fm.fileExists(atPath: deleting), "\(second.logText)")
            #expect(!fm.fileExists(atPath: ours))
            for path in [theirs, ownerless] {
                #expect(fm.fileExists(atPath: path + "/vda.qcow2"), "\(path) is left alone")
            }
            #expect(fm.fileExists(atPath: scratch), "an edit may be under way")
            let list = try second.cli(["list", guest.name, "--json"])
            let listed = try APIJSON.decoder().decode([BackupSummary].self, from: Data(list.stdout.utf8))
            #expect(listed.map(\.id) == [ids[1]])
            #expect(second.logText.contains("removed what interrupted work left on the target"))
            #expect(second.logText.contains("left alone on the target"))
            #expect(second.logText.contains("kvm-elsewhere"), "the log names whose work it is")
        }

        /// A partial folder at `path` with half an image, and `owner.json` naming `owner`.
        private static func partial(_ path: String, owner: DaemonIdentity?) throws -> String {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try "x".write(toFile: path + "/vda.qcow2", atomically: false, encoding: .utf8)
            if let owner { try mark(path, as: owner) }
            return path
        }

        /// Writes `owner.json` naming `owner` into `folder`, as the daemon does.
        private static func mark(_ folder: String, as owner: DaemonIdentity) throws {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(WorkOwner(owner, job: "test", pid: 1))
            try data.write(to: URL(fileURLWithPath: folder + "/" + WorkOwner.fileName))
        }
    }
}
