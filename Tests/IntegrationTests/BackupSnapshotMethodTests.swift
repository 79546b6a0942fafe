import APIModel
import Foundation
import Targets
import Testing

extension Integration {
    /// The btrfs method, alone and beside qcow2 overlays under one freeze.
    @Suite struct BackupSnapshotMethodTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func aGuestWhoseImagesLiveInABtrfsSubvolumeIsBackedUpFromASnapshot() throws {
            let btrfs = try ScratchFilesystem.make("btrfs", .btrfs)
            defer { btrfs.remove() }
            let guest = try TestGuest.make(
                "btrfs", disks: [(64, "raw"), (64, "qcow2")], diskDirectories: [btrfs.images, btrfs.images])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let expected = try guest.writeKnownFiles(on: ["vda", "vdb"])
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let backup = try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8)).result)
            #expect(backup.consistency == .filesystem)
            let manifest = try Manifest.read(backup.location)
            for (index, target) in ["vda", "vdb"].enumerated() {
                let disk = try #require(manifest.disks.first(where: { $0.target == target }))
                #expect(disk.method == .btrfs)
                let image = backup.location + "/" + (disk.file ?? "")
                try BackupImage.expectMatchesIndex(backup.location, target: target, digest: disk.digest)
                #expect(
                    try BackupImage.withFilesystem(of: image) { try Shell.sha256(ofFile: $0 + "/known") }
                        == expected[index])
            }
            #expect(try btrfs.otherSubvolumes() == [], "no snapshot subvolume is left")
            #expect(try guest.strayFiles() == [])
            #expect(try guest.diskSources() == original)
            #expect(try guest.freezeStatus() == "thawed")
            #expect(try guest.freezeCount() == 1)
        }

        /// A qcow2 file on ext4, a raw file on btrfs and a qcow2 file on XFS copied by reflink: three
        /// methods under one freeze.
        @Test func aMixedGuestIsFrozenOnceForItsQcow2BtrfsAndReflinkDisks() throws {
            let btrfs = try ScratchFilesystem.make("mixed", .btrfs)
            defer { btrfs.remove() }
            let xfs = try ScratchFilesystem.make("mixed-xfs", .xfs, sizeMiB: 512)
            defer { xfs.remove() }
            let guest = try TestGuest.make(
                "mixed", disks: [(64, "qcow2"), (64, "raw"), (64, "qcow2")],
                diskDirectories: [nil, btrfs.images, xfs.images])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let expected = try guest.writeKnownFiles(on: ["vda", "vdb", "vdc"])
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let refused = try daemon.cli(["backup", guest.name, "--method", "vda=reflink"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("not on XFS or btrfs"), "\(refused.stderr)")

            let run = try daemon.cli(["backup", guest.name, "--method", "vdc=reflink", "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let backup = try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8)).result)
            let manifest = try Manifest.read(backup.location)
            #expect(manifest.disks.map(\.method) == [.qcow2, .btrfs, .reflink])
            for (index, target) in ["vda", "vdb", "vdc"].enumerated() {
                let disk = try #require(manifest.disks.first(where: { $0.target == target }))
                let image = backup.location + "/" + (disk.file ?? "")
                try BackupImage.expectMatchesIndex(backup.location, target: target, digest: disk.digest)
                #expect(
                    try BackupImage.withFilesystem(of: image) { try Shell.sha256(ofFile: $0 + "/known") }
                        == expected[index])
            }
            #expect(try guest.freezeCount() == 1, "one freeze for the three methods")
            #expect(try btrfs.otherSubvolumes() == [])
            #expect(try xfs.backupLeftovers() == [], "no reflink copy is left")
            #expect(try TestHost.virsh(["domstate", guest.name]).stdout.contains("running"), "resumed")
            #expect(try guest.strayFiles() == [])
            #expect(try guest.diskSources() == original)
        }

        @Test func anImpossibleOverrideOrNoDiskLeftFailsBeforeAnyFreeze() throws {
            let guest = try TestGuest.make("override", disks: [(64, "qcow2")])
            defer { guest.remove() }
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            for method in ["lvm", "btrfs"] {
                let run = try daemon.cli(["backup", guest.name, "--method", "vda=\(method)", "--wait"])
                #expect(run.status != 0)
                #expect(run.stderr.contains("cannot use the \(method) method"), "\(run.stderr)")
            }
            let nothing = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: #"{"exclude":["vda"]}"#)
            #expect(nothing.status == 400)
            #expect(nothing.body.contains("nothing_to_back_up"), "\(nothing.body)")
            #expect(try guest.freezeCount() == 0)
            #expect(daemon.targetEntries() == [])
            #expect(try guest.strayFiles() == [])
        }
    }
}
