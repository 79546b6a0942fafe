import APIModel
import Btrfs
import Foundation
import Snapshots
import Testing

/// The `btrfs` method's refusals and rollbacks, against a real btrfs on a loop device.
@Suite(
    .serialized,
    .enabled(if: BtrfsSnapshotFixture.canRun, "needs root, mkfs.btrfs and btrfs to mount a scratch btrfs"))
struct BtrfsSnapshotFailureTests {
    typealias Fixture = BtrfsSnapshotFixture

    /// A folder that is certainly not on btrfs: tmpfs at /dev/shm, else the temporary folder.
    private func folderOutsideBtrfs() throws -> String {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = base + "/vmbt-plain-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try #require(try !BtrfsUtil.isOnBtrfs(folder))
        return folder
    }

    @Test func imageOutsideBtrfsFailsNamingTheDiskBeforeAnythingIsCreated() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let plain = try folderOutsideBtrfs()
        defer { try? FileManager.default.removeItem(atPath: plain) }
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 1, count: 4096)
        try ImageFixtures.writeRaw(plain + "/vdb.img", byte: 2, count: 4096)
        let disks = [Fixture.disk("vda", fixture.images + "/vda.img"), Fixture.disk("vdb", plain + "/vdb.img")]

        let error = await #expect(throws: SnapshotError.self) {
            try await fixture.method.snapshot(disks, backupID: Fixture.backupID)
        }

        #expect(error?.step == .snapshot)
        #expect(error?.vm == "guest1")
        #expect(error?.disk == "vdb")
        #expect(error?.message.contains("not on a btrfs filesystem") == true)
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
        #expect(Fixture.markedEntries(in: plain).isEmpty)
    }

    @Test func blockDeviceIsRefusedBeforeAnythingIsCreated() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 1, count: 4096)
        let disks = [
            Fixture.disk("vda", fixture.images + "/vda.img"), Fixture.disk("vdb", "/dev/loop0", kind: .block),
        ]

        let error = await #expect(throws: SnapshotError.self) {
            try await fixture.method.snapshot(disks, backupID: Fixture.backupID)
        }

        #expect(error?.disk == "vdb")
        #expect(error?.message.contains("block device") == true)
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
    }

    @Test func fileDiskThatIsNotARegularFileIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }

        let error = await #expect(throws: SnapshotError.self) {
            try await fixture.method.snapshot([Fixture.disk("vda", "/dev/null")], backupID: Fixture.backupID)
        }

        #expect(error?.disk == "vda")
        #expect(error?.message.contains("not a regular file") == true)
    }

    @Test func existingSnapshotPathFailsAndIsLeftAlone() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 1, count: 4096)
        let leftover = BtrfsSnapshot.snapshotPath(forSubvolume: fixture.images, backupID: Fixture.backupID)
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: false)

        let error = await #expect(throws: SnapshotError.self) {
            try await fixture.method.snapshot(
                [Fixture.disk("vda", fixture.images + "/vda.img")], backupID: Fixture.backupID)
        }

        #expect(error?.message.contains("already exists") == true)
        #expect(try !BtrfsUtil.isSubvolume(leftover))
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
    }

    @Test func failedSnapshotDeletesTheSnapshotsAlreadyTaken() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 1, count: 4096)
        let frozen = fixture.volume.path("frozen")
        try BtrfsUtil.createSubvolume(frozen)
        try ImageFixtures.writeRaw(frozen + "/vdb.img", byte: 2, count: 4096)
        try ImageFixtures.run("/usr/bin/btrfs", ["property", "set", frozen, "ro", "true"])
        let disks = [Fixture.disk("vda", fixture.images + "/vda.img"), Fixture.disk("vdb", frozen + "/vdb.img")]

        let error = await #expect(throws: SnapshotError.self) {
            try await fixture.method.snapshot(disks, backupID: Fixture.backupID)
        }

        #expect(error?.disk == "vdb")
        let cause = try #require(error?.cause as? BtrfsError)
        #expect("\(cause)".contains("btrfs_util_create_snapshot"))
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
    }

    @Test func releaseRefusesAWritableSubvolumeEvenWithTheMarker() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let impostor = fixture.images + "/.vmbackup-\(Fixture.backupID)"
        try BtrfsUtil.createSubvolume(impostor)
        let disk = Fixture.disk("vda", fixture.images + "/vda.img")
        let taken = TakenSnapshot(
            disk: disk, source: BackupSource(target: "vda", path: impostor + "/vda.img", format: "raw"),
            artifact: impostor)

        let error = await #expect(throws: SnapshotError.self) { try await fixture.method.release(taken) }

        #expect(error?.step == .cleanup)
        #expect(try BtrfsUtil.isSubvolume(impostor))
    }

    @Test func releaseRefusesAPlainFolderWithTheMarker() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let folder = fixture.images + "/.vmbackup-\(Fixture.backupID)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let taken = TakenSnapshot(
            disk: Fixture.disk("vda", fixture.images + "/vda.img"),
            source: BackupSource(target: "vda", path: folder + "/vda.img", format: "raw"), artifact: folder)

        await #expect(throws: SnapshotError.self) { try await fixture.method.release(taken) }

        #expect(FileManager.default.fileExists(atPath: folder))
    }
}
