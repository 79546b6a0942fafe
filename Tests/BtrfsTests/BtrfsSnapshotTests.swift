import Btrfs
import Foundation
import Snapshots
import Testing

/// The `btrfs` method against a real btrfs on a loop device.
@Suite(
    .serialized,
    .enabled(if: BtrfsSnapshotFixture.canRun, "needs root, mkfs.btrfs and btrfs to mount a scratch btrfs"),
    .enabled(if: ImageFixtures.hasQemuTools, "needs qemu-img and qemu-io"))
struct BtrfsSnapshotTests {
    typealias Fixture = BtrfsSnapshotFixture

    /// A raw `vda` (0xab) and a qcow2 `vdb` (0xcd) in the `images` subvolume.
    private func twoDisks(in fixture: Fixture) throws -> [SelectedDisk] {
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 0xab)
        try FileManager.default.createDirectory(atPath: fixture.images + "/vm1", withIntermediateDirectories: false)
        try ImageFixtures.createQcow2(fixture.images + "/vm1/vdb.qcow2", pattern: 0xcd)
        return [
            Fixture.disk("vda", fixture.images + "/vda.img"),
            Fixture.disk("vdb", fixture.images + "/vm1/vdb.qcow2", format: "qcow2"),
        ]
    }

    @Test func disksInOneSubvolumeShareOneReadOnlySnapshot() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disks = try twoDisks(in: fixture)

        let taken = try await fixture.method.snapshot(disks, backupID: Fixture.backupID)

        let snapshot = BtrfsSnapshot.snapshotPath(forSubvolume: fixture.images, backupID: Fixture.backupID)
        #expect(taken.map(\.disk) == disks)
        #expect(taken.map(\.artifact) == [snapshot, snapshot])
        #expect(try fixture.volume.markedSubvolumes() == ["images/.vmbackup-\(Fixture.backupID)"])
        #expect(try BtrfsUtil.isSubvolume(snapshot))
        #expect(try BtrfsUtil.isReadOnly(snapshot))
        #expect(taken[0].source == BackupSource(target: "vda", path: snapshot + "/vda.img", format: "raw"))
        #expect(taken[1].source == BackupSource(target: "vdb", path: snapshot + "/vm1/vdb.qcow2", format: "qcow2"))
    }

    @Test func sourcesKeepTheContentOfSnapshotTimeAfterTheImagesChange() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disks = try twoDisks(in: fixture)
        let taken = try await fixture.method.snapshot(disks, backupID: Fixture.backupID)

        try ImageFixtures.writeRaw(disks[0].sourcePath, byte: 0x11)
        try ImageFixtures.writeQcow2(disks[1].sourcePath, pattern: 0x22)

        #expect(try ImageFixtures.readRaw(disks[0].sourcePath) == Data(repeating: 0x11, count: 1 << 20))
        #expect(try ImageFixtures.readRaw(taken[0].source.path) == Data(repeating: 0xab, count: 1 << 20))
        #expect(try ImageFixtures.qcow2Holds(disks[1].sourcePath, pattern: 0x22))
        #expect(try ImageFixtures.qcow2Holds(taken[1].source.path, pattern: 0xcd))
    }

    @Test func releaseDeletesTheSnapshotAndLeavesTheImages() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disks = try twoDisks(in: fixture)
        let taken = try await fixture.method.snapshot(disks, backupID: Fixture.backupID)

        for snapshot in taken {
            try await fixture.method.release(snapshot)
        }

        #expect(try fixture.volume.markedSubvolumes().isEmpty)
        #expect(Fixture.markedEntries(in: fixture.images).isEmpty)
        #expect(try BtrfsUtil.isSubvolume(fixture.images))
        #expect(try !BtrfsUtil.isReadOnly(fixture.images))
        #expect(try ImageFixtures.readRaw(disks[0].sourcePath) == Data(repeating: 0xab, count: 1 << 20))
        #expect(try ImageFixtures.qcow2Holds(disks[1].sourcePath, pattern: 0xcd))
    }

    @Test func releaseIsIdempotent() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disks = try twoDisks(in: fixture)
        let taken = try await fixture.method.snapshot(disks, backupID: Fixture.backupID)

        try await fixture.method.release(taken[0])
        try await fixture.method.release(taken[1])
        try await fixture.method.release(taken[0])

        #expect(try fixture.volume.markedSubvolumes().isEmpty)
    }

    @Test func diskInANestedSubvolumeIsSnapshottedThroughThatSubvolume() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let nested = fixture.images + "/vm2"
        try BtrfsUtil.createSubvolume(nested)
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 0xab)
        try ImageFixtures.writeRaw(nested + "/vdb.img", byte: 0x5a)
        let disks = [Fixture.disk("vda", fixture.images + "/vda.img"), Fixture.disk("vdb", nested + "/vdb.img")]

        let taken = try await fixture.method.snapshot(disks, backupID: Fixture.backupID)

        let inner = BtrfsSnapshot.snapshotPath(forSubvolume: nested, backupID: Fixture.backupID)
        #expect(taken[1].artifact == inner)
        #expect(taken[1].source.path == inner + "/vdb.img")
        #expect(try BtrfsUtil.isReadOnly(inner))
        #expect(try ImageFixtures.readRaw(taken[1].source.path) == Data(repeating: 0x5a, count: 1 << 20))
        #expect(try ImageFixtures.readRaw(taken[0].source.path) == Data(repeating: 0xab, count: 1 << 20))
        #expect(try fixture.volume.markedSubvolumes().count == 2)

        for snapshot in taken {
            try await fixture.method.release(snapshot)
        }
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
        #expect(try BtrfsUtil.isSubvolume(nested))
    }

    @Test func imageInTheSubvolumeMountedAtTheMountPointIsSnapshottedInsideIt() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let image = fixture.volume.path("vda.img")
        try ImageFixtures.writeRaw(image, byte: 0x77)

        let taken = try await fixture.method.snapshot([Fixture.disk("vda", image)], backupID: Fixture.backupID)

        let snapshot = fixture.volume.mountPoint + "/.vmbackup-\(Fixture.backupID)"
        #expect(taken.first?.artifact == snapshot)
        #expect(try ImageFixtures.readRaw(snapshot + "/vda.img") == Data(repeating: 0x77, count: 1 << 20))
        try await fixture.method.release(try #require(taken.first))
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
    }

    @Test func imageReachedThroughASymbolicLinkIsSnapshottedAtItsRealPlace() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try ImageFixtures.writeRaw(fixture.images + "/vda.img", byte: 0x42)
        let link = fixture.volume.folder.appendingPathComponent("vda-link.img").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.images + "/vda.img")

        let taken = try await fixture.method.snapshot([Fixture.disk("vda", link)], backupID: Fixture.backupID)

        let snapshot = BtrfsSnapshot.snapshotPath(forSubvolume: fixture.images, backupID: Fixture.backupID)
        #expect(taken.first?.source.path == snapshot + "/vda.img")
        #expect(taken.first?.disk.sourcePath == link)
        try await fixture.method.release(try #require(taken.first))
        #expect(try fixture.volume.markedSubvolumes().isEmpty)
    }
}
