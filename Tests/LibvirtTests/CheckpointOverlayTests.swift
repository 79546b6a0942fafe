import Blocking
import Foundation
import Libvirt
import Logging
import NBD
import Snapshots
import Testing

/// Whether the qcow2 overlay method (an external disk-only snapshot, then an active block commit
/// and pivot) may run on a domain that has checkpoints, and keeps their bitmaps true.
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    CBTGuest.shared("overlay"))
struct CheckpointOverlayTests {
    static let mebibyte: UInt64 = 1 << 20

    @Test(.timeLimit(.minutes(3)))
    func writesMadeBeforeDuringAndAfterAnOverlayAreAllInTheNextIncremental() async throws {
        let guest = try CBTGuest.suiteGuest()
        defer { guest.deleteAllCheckpoints() }
        let first = CheckpointName(backupID: "overlay-a")
        try guest.domain.createCheckpoint(CheckpointDefinition(name: first, bitmapDisks: ["vda"]))
        try guest.write(pattern: 0x11, offset: 16 * Self.mebibyte, length: Self.mebibyte)

        let executor = BlockingExecutor(threads: 2)
        let method = Qcow2Overlay(
            domain: guest.domain, executor: executor, logger: Logger(label: "test.cbt"), commitTimeout: .seconds(120))
        let disk = SelectedDisk(target: "vda", kind: .file, sourcePath: guest.disk, format: "qcow2", method: .qcow2)
        let taken = try await method.snapshot([disk], backupID: "20260101T000000Z-cbt")
        try guest.write(pattern: 0x22, offset: 32 * Self.mebibyte, length: Self.mebibyte)
        for snapshot in taken {
            try await method.release(snapshot)
        }
        await executor.shutdown()
        try guest.write(pattern: 0x33, offset: 48 * Self.mebibyte, length: Self.mebibyte)
        #expect(try guest.domain.checkpoints().map(\.name) == [first.rawValue])

        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: first.rawValue),
            checkpoint: CheckpointDefinition(name: CheckpointName(backupID: "overlay-b"), bitmapDisks: ["vda"]))
        defer { try? guest.domain.abortJob() }
        let jobXML = try guest.domain.backupJobXML()
        let jobDisk = try #require(BackupJobXML.disks(fromBackupXML: jobXML).first)
        let socket = try #require(try BackupJobXML.socketPath(fromBackupXML: jobXML))
        let bitmap = try #require(jobDisk.exportBitmap)
        let connection = try NBDConnection(unixSocket: socket, exportName: jobDisk.exportName, dirtyBitmap: bitmap)

        let dirty = try connection.dirtyExtents(offset: 0, length: connection.size)
        #expect(
            dirty == [16, 32, 48].map { DirtyExtent(offset: $0 * Self.mebibyte, length: Self.mebibyte) })
        for (pattern, offset) in [(UInt8(0x11), 16), (0x22, 32), (0x33, 48)] {
            var buffer = [UInt8](repeating: 0, count: Int(Self.mebibyte))
            try buffer.withUnsafeMutableBytes { try connection.pread(into: $0, offset: UInt64(offset) * Self.mebibyte) }
            #expect(buffer.allSatisfy { $0 == pattern }, "at \(offset) MiB")
        }
        try connection.shutdown()
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())
    }
}
