import APIModel
import Foundation
import Testing

/// Incremental and differential backups against real libvirtd, QEMU, the guest agent and btrfs:
/// one guest with a qcow2 disk on ext4 and a raw disk on btrfs, backed up at every level under
/// one freeze, every point read back, chains merged and pruned, and every way a chain breaks
/// made a full with its reason.
extension Integration {
    @Suite struct IncrementalTests {
        private static let disks = ["vda", "vdb"]

        init() {
            TestHost.sweepLeftovers()
        }

        @Test func aChainRestoresAtEveryPointAndABrokenChainIsNeverExtended() throws {
            let btrfs = try ScratchFilesystem.make("incremental", .btrfs)
            defer { btrfs.remove() }
            let guest = try TestGuest.make(
                "incremental", disks: [(96, "qcow2"), (64, "raw")], diskDirectories: [nil, btrfs.images])
            defer { guest.remove() }
            let root = try TestHost.makeWorkDirectory("incremental-daemon")
            let daemon = try Daemon.start(root: root)
            defer { daemon.stop() }
            let work = try TestHost.makeWorkDirectory("incremental-out")
            defer { try? FileManager.default.removeItem(atPath: work) }
            let disks = Self.disks

            // A full, then three incrementals and a differential, the guest writing before each.
            var known: [[String]] = [try guest.writeKnownFiles(on: disks)]
            let full = try backUp(guest, daemon, level: "incremental")
            #expect(full.level == .full)
            #expect(full.fullReason == "the VM has no earlier backup")
            _ = try guest.runInGuest("dd if=/dev/urandom of=/mnt/vda/big bs=1M count=16 2>/dev/null && sync")
            known.append(try guest.writeKnownFiles(on: disks))
            let i1 = try backUp(guest, daemon, level: "incremental")
            #expect(i1.level == .incremental)
            #expect(i1.parent == full.id)
            #expect(i1.consistency == .filesystem, "both methods under one freeze")
            let vda = try #require(i1.disks.first { $0.target == "vda" })
            let stored = vda.storedBytes ?? 0
            #expect(stored >= 16 << 20 && stored < 24 << 20, "vda stores what changed: \(stored) bytes")
            #expect(vda.backingFile == "../\(full.id)/vda.qcow2")
            #expect(i1.disks.allSatisfy { $0.method != nil && $0.backingFile != nil })
            // vda (qcow2) was read through the dirty bitmap of the full's checkpoint, not whole.
            #expect(
                daemon.logText.contains("stream.dirty_bitmap=vmbackup-\(full.id)"), "changed-block tracking was used")
            known.append(try guest.writeKnownFiles(on: disks))
            let i2 = try backUp(guest, daemon, level: "incremental")
            known.append(try guest.writeKnownFiles(on: disks))
            let i3 = try backUp(guest, daemon, level: "incremental")
            #expect(i2.parent == i1.id && i3.parent == i2.id)
            #expect(i3.chainDepth == 3)
            let differential = try backUp(guest, daemon, level: "differential")
            #expect(differential.level == .differential)
            #expect(differential.parent == full.id)
            let points = [full, i1, i2, i3, differential]
            known.append(known[3])

            // Every point reads back through its chain as its index says, restores on its own to
            // what the guest had written then, and verifies.
            for (point, files) in zip(points, known) {
                try BackupImage.expectReadsBack(point)
                try expectRestores(point, to: files, guest: guest, daemon: daemon, folder: work + "/" + point.id)
            }
            let verified = try daemon.cli(["verify", guest.name, "--all", "--wait"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            // A point in the middle of the chain boots as a drill, on overlays of its stored images.
            let drillRun = try daemon.cli(["drill", guest.name, i2.id, "--wait", "--json"])
            #expect(drillRun.status == 0, "\(drillRun.stderr)\n\(daemon.logText)")
            let drill = try APIJSON.decoder().decode(TaskInfo.self, from: Data(drillRun.stdout.utf8)).drill
            #expect(drill?.ok == true && drill?.backupID == i2.id, "\(drillRun.stdout)")

            // show and list tell the chain.
            let shown = try daemon.cli(["show", guest.name, i2.id]).stdout
            #expect(shown.contains("incremental"), "\(shown)")
            #expect(shown.contains("chain depth:  2"), "\(shown)")
            let tree = try daemon.cli(["list", guest.name, "--tree"]).stdout
            #expect(tree.contains("└─ \(i3.id)") || tree.contains("├─ \(i3.id)"), "\(tree)")

            // Deleting a point in the middle merges it into its child, which still reads back as
            // its index says and restores to what the guest had then.
            let merged = try daemon.cli(["delete", guest.name, i2.id])
            #expect(merged.status == 0, "\(merged.stderr)\n\(daemon.logText)")
            #expect(merged.stdout.contains(i3.id), "\(merged.stdout)")
            let i3Merged = try show(guest, daemon, i3.id)
            #expect(i3Merged.parent == i1.id)
            #expect(i3Merged.chainDepth == 2)
            try BackupImage.expectReadsBack(i3Merged)
            try expectRestores(i3Merged, to: known[3], guest: guest, daemon: daemon, folder: work + "/merged")
            // Mounted, the merged point serves the same content over NBD, read through its chain.
            let mounted = try daemon.request(
                "POST", "/v1/vms/\(guest.name)/backups/\(i3.id)/mount", body: #"{"disk":"vda"}"#)
            #expect(mounted.status == 201, "\(mounted.body)")
            let export = try APIJSON.decoder().decode(ExportSummary.self, from: Data(mounted.body.utf8))
            let compared = try Shell.run(
                ["qemu-img", "compare", "-f", "raw", "-F", "qcow2", export.uri, work + "/merged/vda.qcow2"],
                check: false)
            #expect(compared.status == 0, "\(compared.stdout)\(compared.stderr)")
            #expect(try daemon.request("DELETE", "/v1/exports/\(export.id)").status == 200)
            // --children-only deletes what depends on a point and keeps it; --children both.
            let childrenOnly = try daemon.cli(["delete", guest.name, i1.id, "--children-only"])
            #expect(childrenOnly.status == 0, "\(childrenOnly.stderr)")
            let withChildren = try daemon.cli(["delete", guest.name, full.id, "--children"])
            #expect(withChildren.status == 0, "\(withChildren.stderr)")
            let listed = try APIJSON.decoder().decode(
                [BackupSummary].self, from: Data(try daemon.cli(["list", guest.name, "--json"]).stdout.utf8))
            #expect(listed.isEmpty, "\(listed.map(\.id))")

            // Restored in place: the next auto backup starts a new chain, and says why.
            _ = try TestHost.virsh(["destroy", guest.name])
            let reverted = try daemon.cli(["restore", guest.name, i3.id, "--in-place", "--start", "--wait"])
            #expect(reverted.status != 0, "i3 is gone")
            let base = try backUp(guest, daemon, level: "full")
            let revert = try daemon.cli(["restore", guest.name, base.id, "--in-place", "--start", "--wait"])
            #expect(revert.status == 0, "\(revert.stderr)\n\(daemon.logText)")
            try guest.waitForAgent()
            let afterRevert = try backUp(guest, daemon, level: "auto")
            #expect(afterRevert.level == .full)
            #expect(afterRevert.fullReason?.contains("restored in place") == true, "\(afterRevert)")
            #expect(try daemon.cli(["list", guest.name]).stdout.contains("\(afterRevert.id) is full: "))

            // A parent that failed verification is never extended.
            _ = try guest.writeKnownFiles(on: disks)
            let next = try backUp(guest, daemon, level: "auto")
            #expect(next.level == .incremental && next.parent == afterRevert.id)
            try BackupImage.flipData(in: next.location + "/vda.qcow2")
            let failed = try daemon.cli(["verify", guest.name, next.id, "--wait"])
            #expect(failed.status != 0, "\(failed.stdout)")
            let afterFailure = try backUp(guest, daemon, level: "auto")
            #expect(afterFailure.level == .full)
            #expect(afterFailure.fullReason == "backup \(next.id) in the chain failed verification")

            // Checkpoints: the daemon keeps those of the newest backup and of the newest full.
            let tracked = try backUp(guest, daemon, level: "auto")
            #expect(tracked.parent == afterFailure.id)
            #expect(try checkpoints(guest) == ["vmbackup-\(afterFailure.id)", "vmbackup-\(tracked.id)"])
            // A checkpoint deleted behind the daemon's back breaks the chain: a full, and the
            // stale checkpoints go.
            _ = try TestHost.virsh(["checkpoint-delete", guest.name, "vmbackup-\(tracked.id)"])
            let afterDelete = try backUp(guest, daemon, level: "auto")
            #expect(afterDelete.level == .full)
            #expect(afterDelete.fullReason?.contains("vmbackup-\(tracked.id)") == true, "\(afterDelete)")
            #expect(try checkpoints(guest) == ["vmbackup-\(afterDelete.id)"])

            // A daemon killed while streaming an incremental: the next backup is a full.
            _ = daemon.detach()
            let crashing = try Daemon.start(root: root, environment: ["VMBACKUPD_CRASH_AT": "streaming"])
            defer { crashing.stop() }
            let accepted = try crashing.request(
                "POST", "/v1/vms/\(guest.name)/backups", body: #"{"level":"incremental"}"#)
            #expect(accepted.status == 202, "\(accepted.body)")
            #expect(crashing.waitForExit(seconds: 120), "the daemon did not kill itself")
            _ = crashing.detach()
            let recovered = try Daemon.start(root: root)
            defer { recovered.stop() }
            let afterCrash = try backUp(guest, recovered, level: "auto")
            #expect(afterCrash.level == .full)
            #expect(afterCrash.fullReason?.contains("was interrupted") == true, "\(afterCrash)")
            #expect(try guest.strayFiles() == [], "no overlay is left")
            #expect(try btrfs.otherSubvolumes() == [], "no snapshot is left")
            #expect(try checkpoints(guest) == ["vmbackup-\(afterCrash.id)"], "the crashed job's checkpoint went")
            recovered.stop()

            try expectRetentionLeavesTwoPoints(guest, work: work)
        }

        /// Retention keep_last = 2 over a chain of five: the ancestors it does not keep are merged
        /// into the kept points, and two points are left, each restoring what the guest had then.
        private func expectRetentionLeavesTwoPoints(_ guest: TestGuest, work: String) throws {
            let config = """
                [policy.two]
                level = "incremental"
                keep_last = 2

                [[vm]]
                name = "\(guest.name)"
                policy = "two"
                """
            let daemon = try Daemon.start(config: config)
            defer { daemon.stop() }
            var made: [(backup: BackupSummary, files: [String])] = []
            for _ in 0..<5 {
                let files = try guest.writeKnownFiles(on: Self.disks)
                let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
                #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
                let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
                made.append((try #require(task.result), files))
            }
            #expect(made.dropFirst().allSatisfy { $0.backup.level == .incremental })
            let left = try APIJSON.decoder().decode(
                [BackupSummary].self, from: Data(try daemon.cli(["list", guest.name, "--json"]).stdout.utf8))
            #expect(left.map(\.id) == made.suffix(2).map(\.backup.id), "\(left.map(\.id))")
            for (point, files) in made.suffix(2) {
                let now = try show(guest, daemon, point.id)
                try BackupImage.expectReadsBack(now)
                try expectRestores(now, to: files, guest: guest, daemon: daemon, folder: work + "/kept-" + point.id)
            }
        }

        /// Restores `point` into the new folder `folder` and expects each disk's known file to be
        /// `files`.
        private func expectRestores(
            _ point: BackupSummary, to files: [String], guest: TestGuest, daemon: Daemon, folder: String
        ) throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let run = try daemon.cli(["restore", guest.name, point.id, "--to", folder, "--wait"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            for (index, target) in Self.disks.enumerated() {
                #expect(
                    try BackupImage.withFilesystem(of: folder + "/" + target + ".qcow2") {
                        try Shell.sha256(ofFile: $0 + "/known")
                    } == files[index], "\(point.id) \(target)")
            }
        }

        private func backUp(_ guest: TestGuest, _ daemon: Daemon, level: String) throws -> BackupSummary {
            let run = try daemon.cli(["backup", guest.name, "--level", level, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            let result = try #require(task.result, "\(run.stdout)")
            // The shown summary carries the chain depth the task's result does not.
            return (try? show(guest, daemon, result.id)) ?? result
        }

        /// The names of the domain's checkpoints, sorted.
        private func checkpoints(_ guest: TestGuest) throws -> [String] {
            try TestHost.virsh(["checkpoint-list", guest.name, "--name"]).stdout
                .split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }.sorted()
        }

        private func show(_ guest: TestGuest, _ daemon: Daemon, _ id: String) throws -> BackupSummary {
            let shown = try daemon.cli(["show", guest.name, id, "--json"])
            return try APIJSON.decoder().decode(BackupSummary.self, from: Data(shown.stdout.utf8))
        }
    }
}

extension BackupImage {
    /// Overwrites 4 KiB of guest data that the image itself holds (not its backing file), as a
    /// flipped bit on the target would change it.
    static func flipData(in image: String) throws {
        let map = try Shell.run(["qemu-img", "map", "--output=json", image]).stdout
        let extents = try JSONSerialization.jsonObject(with: Data(map.utf8)) as? [[String: Any]] ?? []
        let own = try #require(
            extents.first { ($0["depth"] as? Int) == 0 && ($0["data"] as? Bool) == true },
            "the image holds data of its own")
        let start = try #require(own["start"] as? Int)
        try Shell.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x55 \(start) 4k", image])
    }
}
