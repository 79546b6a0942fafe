import APIModel
import Blocking
import Foundation
import Libvirt
import Logging
import Snapshots
import Testing

@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    .enabled(if: LibvirtHost.hasGuestKernel, "no /boot/vmlinuz-*-amd64 for the test guest"))
struct Qcow2OverlayRoundTripTests {
    static let backupID = "20260101T000000Z-test"

    static func selected(_ guest: TestGuest) -> [SelectedDisk] {
        [
            SelectedDisk(target: "vda", kind: .file, sourcePath: guest.qcow2Disk, format: "qcow2", method: .qcow2),
            SelectedDisk(target: "vdb", kind: .file, sourcePath: guest.rawDisk, format: "raw", method: .qcow2),
        ]
    }

    static func method(_ guest: TestGuest, executor: BlockingExecutor) -> Qcow2Overlay {
        Qcow2Overlay(
            domain: guest.domain, executor: executor, logger: Logger(label: "test.qcow2"), commitTimeout: .seconds(120))
    }

    @Test(.timeLimit(.minutes(5)))
    func snapshotMovesDisksOntoOverlaysAndReleaseCommitsTheGuestsWritesBack() async throws {
        let guest = try TestGuest("roundtrip", agent: true)
        defer { guest.tearDown() }
        let executor = BlockingExecutor(threads: 2)
        let method = Self.method(guest, executor: executor)
        let overlayA = Qcow2Overlay.overlayPath(for: guest.qcow2Disk, backupID: Self.backupID)
        let overlayB = Qcow2Overlay.overlayPath(for: guest.rawDisk, backupID: Self.backupID)
        #expect(overlayA == guest.qcow2Disk + ".vmbackup-\(Self.backupID).overlay")

        #expect(try guest.domain.fsFreeze() >= 1)
        let taken: [TakenSnapshot]
        do {
            taken = try await method.snapshot(Self.selected(guest), backupID: Self.backupID)
            try guest.domain.fsThaw()
        } catch {
            _ = try? guest.domain.fsThaw()
            throw error
        }

        #expect(
            taken.map(\.source) == [
                BackupSource(target: "vda", path: guest.qcow2Disk, format: "qcow2"),
                BackupSource(target: "vdb", path: guest.rawDisk, format: "raw"),
            ])
        #expect(taken.map(\.artifact) == [overlayA, overlayB])
        #expect(try guest.diskSources() == ["vda": overlayA, "vdb": overlayB])
        #expect(FileManager.default.fileExists(atPath: overlayA))
        #expect(FileManager.default.fileExists(atPath: overlayB))

        // The guest writes while the backup streams: the backupSources must not change.
        let rawBefore = try HostCommand.sha256(of: guest.rawDisk)
        let hashes = try guest.exec(
            "dd if=/dev/urandom of=/mnt/vdb/payload bs=1M count=4 2>/dev/null"
                + " && dd if=/dev/urandom of=/dev/vda bs=1M count=2 2>/dev/null && sync"
                + " && sha256sum /mnt/vdb/payload && dd if=/dev/vda bs=1M count=2 2>/dev/null | sha256sum"
        ).split(separator: "\n").map { String($0.prefix(64)) }
        #expect(hashes.count == 2)
        #expect(try HostCommand.sha256(of: guest.rawDisk) == rawBefore)

        // Released from a cancelled task: release must still run to the end.
        let release = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            for snapshot in taken {
                try await method.release(snapshot)
            }
        }
        try await release.value

        #expect(try guest.diskSources() == ["vda": guest.qcow2Disk, "vdb": guest.rawDisk])
        #expect(try guest.diskSources(inactive: true) == ["vda": guest.qcow2Disk, "vdb": guest.rawDisk])
        #expect(!FileManager.default.fileExists(atPath: overlayA))
        #expect(!FileManager.default.fileExists(atPath: overlayB))

        // The writes made on the overlays are now in the original images.
        try guest.domain.destroy()
        let payload = guest.folder.appendingPathComponent("payload").path
        try HostCommand.run("/usr/sbin/debugfs", ["-R", "dump /payload \(payload)", guest.rawDisk])
        #expect(try HostCommand.sha256(of: payload) == hashes.first)
        let flat = guest.folder.appendingPathComponent("disk-a.flat").path
        try HostCommand.run("/usr/bin/qemu-img", ["convert", "-f", "qcow2", "-O", "raw", guest.qcow2Disk, flat])
        #expect(try HostCommand.sha256(of: flat, bytes: 2 << 20) == hashes.last)
        await executor.shutdown()
    }

    @Test(.timeLimit(.minutes(3)))
    func releaseKeepsTheOverlayWhenTheDomainWasShutOff() async throws {
        let guest = try TestGuest("shutoff", agent: false)
        defer { guest.tearDown() }
        let executor = BlockingExecutor(threads: 2)
        let method = Self.method(guest, executor: executor)
        let taken = try await method.snapshot([Self.selected(guest)[0]], backupID: Self.backupID)
        let overlay = try #require(taken.first?.artifact)

        try guest.domain.destroy()
        let error = await #expect(throws: SnapshotError.self) {
            try await method.release(taken[0])
        }

        #expect(error?.step == .commit)
        #expect(error?.disk == "vda")
        #expect(error?.description.contains(overlay) == true)
        #expect(error?.description.contains("holds") == true)
        #expect(FileManager.default.fileExists(atPath: overlay))
        #expect(try guest.diskSources(inactive: true)["vda"] == overlay)
        await executor.shutdown()
    }

    @Test(.timeLimit(.minutes(3)))
    func snapshotRefusesAnExistingOverlayAndLeavesEverythingAsItWas() async throws {
        let guest = try TestGuest("existing", agent: false)
        defer { guest.tearDown() }
        let executor = BlockingExecutor(threads: 2)
        let method = Self.method(guest, executor: executor)
        let stale = Qcow2Overlay.overlayPath(for: guest.rawDisk, backupID: Self.backupID)
        try Data("left by an earlier run".utf8).write(to: URL(fileURLWithPath: stale))

        let error = await #expect(throws: SnapshotError.self) {
            try await method.snapshot(Self.selected(guest), backupID: Self.backupID)
        }

        #expect(error?.step == .snapshot)
        #expect(error?.disk == "vdb")
        #expect(try Data(contentsOf: URL(fileURLWithPath: stale)) == Data("left by an earlier run".utf8))
        #expect(try guest.diskSources() == ["vda": guest.qcow2Disk, "vdb": guest.rawDisk])
        let overlayA = Qcow2Overlay.overlayPath(for: guest.qcow2Disk, backupID: Self.backupID)
        #expect(!FileManager.default.fileExists(atPath: overlayA))
        await executor.shutdown()
    }
}
