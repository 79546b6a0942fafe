import APIModel
import Foundation
import Targets
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Restores against real libvirtd, QEMU and the guest agent, read back from outside and from the
/// guest itself. One guest serves the whole story: backups at two points, then every way back.
/// The guest has an emulated TPM: a token in its NV memory follows the disks through each way.
extension Integration {
    @Suite struct RestoreTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func everyWayBackReadsWhatTheGuestWrote() throws {
            let guest = try TestGuest.make("restore", disks: [(64, "qcow2"), (64, "raw")], tpm: true)
            defer { guest.remove() }
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let work = try TestHost.makeWorkDirectory("restore-out")
            defer { try? FileManager.default.removeItem(atPath: work) }

            let first = try guest.writeKnownFiles(on: ["vda", "vdb"])
            try guest.writeTPMToken("point001")
            let backup1 = try backUp(guest, daemon)
            let second = try guest.writeKnownFiles(on: ["vda", "vdb"])
            try guest.writeTPMToken("point002")
            let backup2 = try backUp(guest, daemon)
            let overwritten = try guest.writeKnownFiles(on: ["vda", "vdb"])
            try guest.writeTPMToken("changed3")
            #expect(Set(first + second + overwritten).count == 6, "each point holds other files")
            #expect(
                FileManager.default.fileExists(atPath: backup2.location + "/" + BackupFiles.tpmState),
                "the TPM state is saved")

            // In place while the domain runs, without --force: refused, nothing changes.
            let refused = try daemon.cli(["restore", guest.name, backup1.id, "--in-place"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("running"), "\(refused.stderr)")
            #expect(try guest.readKnownFiles(on: ["vda", "vdb"]) == overwritten)

            // To a folder: new qcow2 images whose content is the backup's, checked from outside.
            let files = work + "/files"
            try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
            let toFolder = try restore(daemon, [guest.name, backup1.id, "--to", files])
            #expect(toFolder.mode == .files)
            for (index, target) in ["vda", "vdb"].enumerated() {
                let image = files + "/" + target + ".qcow2"
                let stored = backup1.location + "/" + target + ".index"
                #expect(
                    try BackupImage.chunkIndex(image)
                        == String(decoding: FileManager.default.contents(atPath: stored) ?? Data(), as: UTF8.self))
                #expect(
                    try BackupImage.withFilesystem(of: image) { try Shell.sha256(ofFile: $0 + "/known") }
                        == first[index])
            }
            let again = try daemon.cli(["restore", guest.name, backup1.id, "--to", files])
            #expect(again.status != 0, "an existing file is never overwritten")
            #expect(again.stderr.contains("exists already"), "\(again.stderr)")

            // Disks from two points, as raw files.
            let mixed = work + "/mixed"
            try FileManager.default.createDirectory(atPath: mixed, withIntermediateDirectories: true)
            let combined = try restore(
                daemon,
                [
                    guest.name, backup1.id, "--disk", "vda", "--disk", "vdb=\(backup2.id)", "--to", mixed, "--format",
                    "raw",
                ])
            #expect(combined.disks.map(\.backupID) == [backup1.id, backup2.id])
            #expect(
                try BackupImage.withFilesystem(of: mixed + "/vda.raw", format: "raw") {
                    try Shell.sha256(ofFile: $0 + "/known")
                } == first[0])
            #expect(
                try BackupImage.withFilesystem(of: mixed + "/vdb.raw", format: "raw") {
                    try Shell.sha256(ofFile: $0 + "/known")
                } == second[1])

            // As a new domain beside the running original: it boots to its agent with its own
            // UUID and MAC addresses, on its own disks.
            let copyName = guest.name + "-copy"
            let copyFolder = work + "/copy"
            try FileManager.default.createDirectory(atPath: copyFolder, withIntermediateDirectories: true)
            defer {
                _ = try? TestHost.virsh(["destroy", copyName], check: false)
                _ = try? TestHost.virsh(["undefine", "--nvram", copyName], check: false)
            }
            let copy = try restore(daemon, [guest.name, backup2.id, "--as", copyName, "--to", copyFolder, "--start"])
            #expect(copy.domain == copyName)
            #expect(copy.started == .running)
            let copyGuest = TestGuest(name: copyName, directory: copyFolder, disks: copy.disks.map(\.path))
            try copyGuest.waitForAgent()
            #expect(try copyGuest.uuid() != guest.uuid())
            #expect(try copyGuest.macAddresses().isDisjoint(with: guest.macAddresses()))
            #expect(try copyGuest.readKnownFiles(on: ["vda", "vdb"]) == second)
            #expect(try copyGuest.readTPMToken() == "point002", "the copy's TPM is the one backed up")
            #expect(try guest.readKnownFiles(on: ["vda", "vdb"]) == overwritten, "the original is untouched")
            #expect(try guest.readTPMToken() == "changed3", "the original's TPM is untouched")
            let taken = try daemon.cli(["restore", guest.name, backup2.id, "--as", copyName, "--to", work])
            #expect(taken.status != 0, "a name already taken is refused")
            #expect(taken.stderr.contains("exists already"), "\(taken.stderr)")
            _ = try TestHost.virsh(["destroy", copyName], check: false)

            // Instant: booted at once on overlays of the stored images, which stay unchanged and
            // in use (delete refuses them) until the copy is kept or discarded.
            let instantName = guest.name + "-instant"
            let instantFolder = work + "/instant"
            try FileManager.default.createDirectory(atPath: instantFolder, withIntermediateDirectories: true)
            defer {
                _ = try? TestHost.virsh(["destroy", instantName], check: false)
                _ = try? TestHost.virsh(["undefine", "--nvram", instantName], check: false)
            }
            let clock = ContinuousClock()
            let booted = clock.now
            let instant = try restore(
                daemon, [guest.name, backup2.id, "--as", instantName, "--to", instantFolder, "--instant", "--start"])
            let instantGuest = TestGuest(name: instantName, directory: instantFolder, disks: instant.disks.map(\.path))
            try instantGuest.waitForAgent()
            print("restore --instant: agent answered \(clock.now - booted) after the request")
            #expect(instant.disks.allSatisfy { $0.backingFile?.hasPrefix(backup2.location) == true })
            #expect(try instantGuest.readKnownFiles(on: ["vda", "vdb"]) == second)
            #expect(try instantGuest.readTPMToken() == "point002")
            _ = try instantGuest.runInGuest("dd if=/dev/urandom of=/mnt/vda/new bs=64k count=4 2>/dev/null && sync")
            let inUse = try daemon.cli(["delete", guest.name, backup2.id])
            #expect(inUse.status != 0, "a backup an instant copy reads is not deleted")
            #expect(inUse.stderr.contains("in use"), "\(inUse.stderr)")
            #expect(try daemon.cli(["instant", "list"]).stdout.contains(instantName))
            let kept = try daemon.cli(["instant", "keep", instantName])
            #expect(kept.status == 0, "\(kept.stderr)\n\(daemon.logText)")
            for path in instant.disks.map(\.path) {
                let info = try Shell.run(["qemu-img", "info", "-U", "--output=json", path]).stdout
                #expect(!info.contains("backing-filename"), "\(path) no longer needs the backup")
            }
            #expect(try instantGuest.readKnownFiles(on: ["vda", "vdb"]) == second, "the kept copy still reads")
            #expect(!(try daemon.cli(["instant", "list"]).stdout.contains(instantName)))
            for target in ["vda", "vdb"] {
                try BackupImage.expectMatchesIndex(
                    backup2.location, target: target,
                    digest: backup2.disks.first { $0.target == target }?.digest)
            }
            // A second instant copy is discarded: domain, overlays and NVRAM go.
            let discardName = guest.name + "-gone"
            let discardFolder = work + "/gone"
            try FileManager.default.createDirectory(atPath: discardFolder, withIntermediateDirectories: true)
            _ = try restore(daemon, [guest.name, backup2.id, "--as", discardName, "--to", discardFolder, "--instant"])
            let discarded = try daemon.cli(["instant", "discard", discardName])
            #expect(discarded.status == 0, "\(discarded.stderr)")
            #expect(try TestHost.virsh(["dominfo", discardName], check: false).status != 0, "the domain is gone")
            #expect(try FileManager.default.contentsOfDirectory(atPath: discardFolder).isEmpty)
            _ = try TestHost.virsh(["destroy", instantName], check: false)

            // In place over the shut-off domain, then started: the guest reads the first files.
            _ = try TestHost.virsh(["destroy", guest.name])
            let reverted = try restore(daemon, [guest.name, backup1.id, "--in-place", "--start"])
            #expect(reverted.mode == .inPlace)
            try guest.waitForAgent()
            #expect(try guest.readKnownFiles(on: ["vda", "vdb"]) == first)
            #expect(try guest.readTPMToken() == "point001", "the TPM is back to the first point too")

            // A drill boots the newest backup to its agent, records it, and leaves nothing.
            let drillRun = try daemon.cli(["drill", guest.name, "--wait", "--json"])
            #expect(drillRun.status == 0, "\(drillRun.stderr)\n\(daemon.logText)")
            let drill = try #require(
                try APIJSON.decoder().decode(TaskInfo.self, from: Data(drillRun.stdout.utf8)).drill,
                "\(drillRun.stdout)")
            #expect(drill.ok)
            #expect(drill.backupID == backup2.id)
            #expect(!drill.filesystems.isEmpty, "the agent reported the guest's file systems")
            print("drill: agent answered \(drill.secondsToAgent ?? -1) s after the request")
            try expectNoDrillLeft(daemon)

            // A byte flipped where a boot never reads still fails the drill: the drill reads the
            // backup back whole and marks it, as a failed verify would. An instant copy of it
            // fails the same way, and is removed.
            _ = try VerifyGuest.flipDataByte(in: backup1.location + "/vdb.qcow2", lastExtent: true)
            let unreadRun = try daemon.cli(["drill", guest.name, backup1.id, "--wait"])
            #expect(unreadRun.status != 0)
            #expect(
                unreadRun.stderr.contains("read-back") && unreadRun.stderr.contains("disk vdb"), "\(unreadRun.stderr)")
            try expectNoDrillLeft(daemon)
            let shown = try daemon.cli(["show", guest.name, backup1.id, "--json"])
            let marked = try APIJSON.decoder().decode(BackupSummary.self, from: Data(shown.stdout.utf8))
            #expect(marked.verification?.ok == false, "\(shown.stdout)")
            let badCopy = guest.name + "-bad"
            let badInstant = try daemon.cli([
                "restore", guest.name, backup1.id, "--as", badCopy, "--to", work, "--instant", "--wait",
            ])
            #expect(badInstant.status != 0)
            #expect(badInstant.stderr.contains("failed its read-back"), "\(badInstant.stderr)")
            #expect(try TestHost.virsh(["dominfo", badCopy], check: false).status != 0, "the copy is removed")

            // A damaged backup fails its drill clearly, and still leaves nothing.
            let damaged = backup2.location + "/vda.qcow2"
            try Shell.run(["truncate", "-s", "4096", damaged])
            let failedRun = try daemon.cli(["drill", guest.name, backup2.id, "--wait"])
            #expect(failedRun.status != 0)
            #expect(failedRun.stdout.contains("FAILED"), "\(failedRun.stdout)")
            #expect(failedRun.stderr.contains("drill of backup \(backup2.id)"), "\(failedRun.stderr)")
            try expectNoDrillLeft(daemon)
            // The TPM states left are those of the domains still defined: drills and the
            // discarded copy took theirs with them.
            let defined = try [guest, copyGuest, instantGuest].map { try $0.uuid() }
            #expect(
                Set(try FileManager.default.contentsOfDirectory(atPath: "/var/lib/libvirt/swtpm")).isSubset(of: defined)
            )
            let drills = try daemon.cli(["drills", guest.name])
            #expect(drills.stdout.contains("passed") && drills.stdout.contains("FAILED"), "\(drills.stdout)")

            // Bad input: a clear error each, and nothing written.
            for (arguments, message) in [
                ([guest.name, "20200101T000000Z-0000", "--to", work], "no backup"),
                ([guest.name, backup1.id, "--disk", "vdz", "--to", work], "holds no disk vdz"),
                ([guest.name, backup1.id, "--to", work + "/missing"], "does not exist"),
                ([guest.name, backup1.id, "--to", "relative"], "absolute"),
                ([guest.name, backup1.id], "say where to restore"),
            ] {
                let run = try daemon.cli(["restore"] + arguments)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            }
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: work).sorted()
                    == ["copy", "files", "gone", "instant", "mixed"])
        }

        /// The UEFI variables come back with the disks. The domain is defined on OVMF with a
        /// variable store of its own and never started (OVMF takes minutes to boot under emulation
        /// here): its NVRAM file stands for what a booted guest's firmware wrote.
        @Test func theUEFIVariablesComeBackAsNewFilesOrInPlace() throws {
            let work = try TestHost.makeWorkDirectory("nvram-out")
            defer { try? FileManager.default.removeItem(atPath: work) }
            let vars = work + "/vars.fd"
            try Shell.run(["dd", "if=/dev/urandom", "of=" + vars, "bs=4k", "count=132", "status=none"])
            let guest = try TestGuest.make("nvram", disks: [(16, "raw")], agent: false, start: false, uefiVars: vars)
            defer { guest.remove() }
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let saved = try Shell.sha256(ofFile: vars)
            let backup = try backUp(guest, daemon)
            #expect(try Shell.sha256(ofFile: backup.location + "/" + BackupFiles.nvram) == saved)
            try Shell.run(["dd", "if=/dev/urandom", "of=" + vars, "bs=4k", "count=132", "status=none"])
            let changed = try Shell.sha256(ofFile: vars)

            // A copy gets the backup's variables in a file of its own, named in its XML.
            let copyName = guest.name + "-copy"
            defer { _ = try? TestHost.virsh(["undefine", "--nvram", copyName], check: false) }
            let copy = try restore(daemon, [guest.name, backup.id, "--as", copyName, "--to", work])
            let copyVars = work + "/" + copyName + "_VARS.fd"
            #expect(copy.files == [copyVars])
            #expect(try Shell.sha256(ofFile: copyVars) == saved)
            let copyXML = try TestHost.virsh(["dumpxml", "--inactive", copyName]).stdout
            #expect(copyXML.contains(">\(copyVars)</nvram>"), "\(copyXML)")
            #expect(try Shell.sha256(ofFile: vars) == changed, "the original's variables are untouched")

            // In place: the domain's own variable store is put back.
            let reverted = try restore(daemon, [guest.name, backup.id, "--in-place"])
            #expect(reverted.mode == .inPlace)
            #expect(try Shell.sha256(ofFile: vars) == saved)
            #expect(!FileManager.default.fileExists(atPath: vars + ".vmbackup-new"), "no scratch file is left")
        }

        /// kill -9 after the first disk of a restore in place was written: the next start records it,
        /// does not start the domain, refuses its backups, and a restore that succeeds clears it.
        @Test func aRestoreInPlaceCutShortIsRecordedAndTheDomainIsNotStarted() throws {
            let guest = try TestGuest.make(
                "restore-crash", disks: [(32, "qcow2"), (32, "raw")], agent: false, start: false)
            defer { guest.remove() }
            let root = try TestHost.makeWorkDirectory("restore-crash-daemon")
            defer { try? FileManager.default.removeItem(atPath: root) }
            let backup: BackupSummary
            do {
                let daemon = try Daemon.start(root: root)
                defer { _ = daemon.detach() }
                backup = try backUp(guest, daemon)
            }
            // The disks change after the backup, so that only a finished restore brings it back.
            try Shell.run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x77 1M 1M", guest.disks[0]])
            try Shell.run(["qemu-io", "-f", "raw", "-c", "write -P 0x78 2M 1M", guest.disks[1]])

            let crashing = try Daemon.start(root: root, environment: ["VMBACKUPD_CRASH_AT": "restoring"])
            let accepted = try crashing.request(
                "POST", "/v1/vms/\(guest.name)/backups/\(backup.id)/restore",
                body: #"{"inPlace": true, "start": "running"}"#)
            #expect(accepted.status == 202, "\(accepted.body)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(accepted.body.utf8))
            #expect(crashing.waitForExit(seconds: 120), "the daemon did not kill itself")
            _ = crashing.detach()

            let daemon = try Daemon.start(root: root)
            defer { daemon.stop() }
            #expect(try TestHost.virsh(["domstate", guest.name]).stdout.contains("shut off"), "not started")
            let status = try daemon.cli(["status"])
            #expect(status.stdout.contains("NOT RECOVERED"), "\(status.stdout)")
            #expect(status.stdout.contains("half-written"), "\(status.stdout)")
            let interrupted = try daemon.waitForTask(task.id)
            #expect(interrupted.state == .failed)
            #expect(interrupted.error?.code == .interrupted)
            let refused = try daemon.cli(["backup", guest.name])
            #expect(refused.status != 0, "a half-written VM is not backed up")
            #expect(refused.stderr.contains("half-written"), "\(refused.stderr)")

            let again = try daemon.cli(["restore", guest.name, "latest", "--in-place", "--wait"])
            #expect(again.status == 0, "\(again.stderr)\n\(daemon.logText)")
            #expect(!(try daemon.cli(["status"]).stdout.contains("NOT RECOVERED")))
            for (index, target) in ["vda", "vdb"].enumerated() {
                #expect(
                    try BackupImage.chunkIndex(guest.disks[index], format: index == 0 ? "qcow2" : "raw")
                        == String(
                            decoding: FileManager.default.contents(atPath: backup.location + "/\(target).index")
                                ?? Data(),
                            as: UTF8.self),
                    "\(target) holds the backup again")
            }
        }

        /// A host that has only the target: a new state folder, the VM not defined; the daemon
        /// finds the VM in the manifests and restores it as a new VM.
        @Test func aVMNotDefinedHereIsRestoredFromTheTargetAlone() throws {
            let guest = try TestGuest.make("restore-fresh", disks: [(32, "qcow2")], agent: false, start: false)
            defer { guest.remove() }
            let first = try Daemon.start()
            let backup = try backUp(guest, first)
            let targetDirectory = first.targetDirectory
            let firstRoot = first.detach()
            defer { try? FileManager.default.removeItem(atPath: firstRoot) }
            _ = try TestHost.virsh(["undefine", guest.name])

            let fresh = try Daemon.start(targetDirectory: targetDirectory)
            defer { fresh.stop() }
            let vms = try fresh.cli(["vms"])
            #expect(vms.stdout.contains(guest.name), "\(vms.stdout)")
            let copyName = guest.name + "-fresh"
            defer { _ = try? TestHost.virsh(["undefine", "--nvram", copyName], check: false) }
            let restored = try restore(fresh, [guest.name, "latest", "--as", copyName, "--to", guest.directory])
            #expect(restored.domain == copyName)
            #expect(restored.disks.map(\.backupID) == [backup.id])
            #expect(try TestHost.virsh(["domstate", copyName]).stdout.contains("shut off"))
            let image = try #require(restored.disks.first?.path)
            #expect(
                try BackupImage.chunkIndex(image)
                    == String(
                        decoding: FileManager.default.contents(atPath: backup.location + "/vda.index") ?? Data(),
                        as: UTF8.self))
        }

        private func expectNoDrillLeft(_ daemon: Daemon) throws {
            let domains = try TestHost.virsh(["list", "--all", "--name"]).stdout
            #expect(!domains.contains("vmbackup-drill-"), "\(domains)")
            #expect(try daemon.cli(["instant", "list"]).stdout.contains("No instant copies"))
            let drills = daemon.root + "/state/drills"
            let left = (try? FileManager.default.contentsOfDirectory(atPath: drills)) ?? []
            #expect(left.isEmpty, "\(left)")
        }

        private func backUp(_ guest: TestGuest, _ daemon: Daemon) throws -> BackupSummary {
            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            return try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8)).result)
        }

        private func restore(_ daemon: Daemon, _ arguments: [String]) throws -> RestoreSummary {
            let run = try daemon.cli(["restore"] + arguments + ["--wait", "--json"])
            #expect(run.status == 0, "restore \(arguments): \(run.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            return try #require(task.restored, "restore \(arguments): \(run.stdout)")
        }
    }
}

extension TestGuest {
    /// The SHA-256 of `/mnt/<target>/known` on each disk, as the guest reads it.
    func readKnownFiles(on targets: [String]) throws -> [String] {
        try targets.map { target in
            String(try runInGuest("sha256sum /mnt/\(target)/known").prefix(64))
        }
    }

    /// Waits until the guest agent answers `guest-ping`.
    func waitForAgent(timeoutSeconds: Int = 240) throws {
        for _ in 0..<(timeoutSeconds * 4) {
            if (try? agent(#"{"execute":"guest-ping"}"#)) != nil { return }
            usleep(250_000)
        }
        throw Shell.Failure(
            command: ["guest-ping", name], output: .init(status: 1, stdout: "", stderr: "no agent answered"))
    }

    /// The MAC addresses of the domain's interfaces.
    func macAddresses() throws -> Set<String> {
        let xml = try TestHost.virsh(["dumpxml", name]).stdout
        let document = try XMLDocument(xmlString: xml, options: [])
        return Set(try document.nodes(forXPath: "/domain/devices/interface/mac/@address").compactMap { $0.stringValue })
    }
}
