import Foundation
import Libvirt
import NBD
import Testing

/// Checkpoints, pull-mode backups and the dirty-bitmap context, against the real libvirtd and QEMU
/// with one running guest for the suite. Every test leaves the guest without checkpoints or jobs.
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    CBTGuest.shared("blocks"))
struct ChangedBlockTrackingTests {
    static let first = CheckpointName(backupID: "a")
    static let second = CheckpointName(backupID: "b")
    static let mebibyte: UInt64 = 1 << 20

    @Test(.timeLimit(.minutes(3)))
    func incrementalBackupExportsOnlyTheBlocksWrittenSinceTheCheckpoint() throws {
        let guest = try CBTGuest.suiteGuest()
        defer { guest.deleteAllCheckpoints() }
        #expect(Self.first.rawValue == "vmbackup-a")

        // A full backup that starts the chain; nothing needs reading for this test.
        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: nil),
            checkpoint: CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
        let full = try BackupJobXML.disks(fromBackupXML: guest.domain.backupJobXML())
        #expect(full.map(\.name) == ["vda"])
        #expect(full.first?.exportBitmap == nil)
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())

        try guest.write(pattern: 0xab, offset: 64 * Self.mebibyte, length: 8 * Self.mebibyte)

        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: Self.first.rawValue),
            checkpoint: CheckpointDefinition(name: Self.second, bitmapDisks: ["vda"]))
        let jobXML = try guest.domain.backupJobXML()
        #expect(try guest.domain.hasBackupJob())
        let disk = try #require(BackupJobXML.disks(fromBackupXML: jobXML).first)
        #expect(disk.incrementalSince == Self.first.rawValue)
        let bitmap = try #require(disk.exportBitmap)
        let socket = try #require(try BackupJobXML.socketPath(fromBackupXML: jobXML))

        let connection = try NBDConnection(unixSocket: socket, exportName: disk.exportName, dirtyBitmap: bitmap)
        #expect(connection.supportsDirtyBitmap)
        #expect(connection.supportsBlockStatus)
        let dirty = try connection.dirtyExtents(offset: 0, length: connection.size)
        let dirtyBytes = dirty.reduce(0) { $0 + $1.length }
        #expect(dirty.contains { $0.offset <= 64 * Self.mebibyte && $0.end >= 72 * Self.mebibyte })
        #expect(dirtyBytes >= 8 * Self.mebibyte)
        #expect(dirtyBytes <= connection.size / 64)

        // A part of the range is answered clipped to it; a clean range has no dirty extent.
        #expect(
            try connection.dirtyExtents(offset: 66 * Self.mebibyte, length: 2 * Self.mebibyte) == [
                DirtyExtent(offset: 66 * Self.mebibyte, length: 2 * Self.mebibyte)
            ])
        #expect(try connection.dirtyExtents(offset: 128 * Self.mebibyte, length: 64 * Self.mebibyte) == [])

        var buffer = [UInt8](repeating: 0, count: Int(8 * Self.mebibyte))
        try buffer.withUnsafeMutableBytes { try connection.pread(into: $0, offset: 64 * Self.mebibyte) }
        #expect(buffer.allSatisfy { $0 == 0xab })
        try connection.shutdown()

        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())
        #expect(try guest.jobFiles() == [])
        #expect(
            try guest.domain.checkpoints() == [
                DomainCheckpoint(name: Self.first.rawValue, parent: nil),
                DomainCheckpoint(name: Self.second.rawValue, parent: Self.first.rawValue),
            ])
        try guest.domain.deleteCheckpoint(Self.second)
        try guest.domain.deleteCheckpoint(Self.first)
        #expect(try guest.domain.checkpoints() == [])
    }

    @Test(.timeLimit(.minutes(2)))
    func aFullBackupsExportOffersNoDirtyBitmapAndAReaderAskingForOneIsRefused() throws {
        let guest = try CBTGuest.suiteGuest()
        defer { guest.deleteAllCheckpoints() }
        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: nil),
            checkpoint: CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
        defer { try? guest.domain.abortJob() }
        let socket = try #require(try BackupJobXML.socketPath(fromBackupXML: guest.domain.backupJobXML()))

        let error = #expect(throws: NBDError.self) {
            try NBDConnection(unixSocket: socket, exportName: "vda", dirtyBitmap: "backup-vda")
        }
        #expect(error?.call == "nbd_can_meta_context")
        let connection = try NBDConnection(unixSocket: socket, exportName: "vda")
        #expect(connection.supportsBlockStatus)
        #expect(!connection.supportsDirtyBitmap)
        #expect(connection.isReadOnly)
        try connection.shutdown()
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())
    }

    @Test(.timeLimit(.minutes(2)))
    func aBackupIsRefusedWhileItsScratchFileExistsAndTheFileIsLeftAsItWas() throws {
        let guest = try CBTGuest.suiteGuest()
        defer { guest.deleteAllCheckpoints() }
        let request = guest.pullBackup(incrementalSince: nil)
        let scratch = try #require(request.disks.first?.scratchPath)
        try Data("left by an earlier run".utf8).write(to: URL(fileURLWithPath: scratch))
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let error = #expect(throws: LibvirtError.self) {
            try guest.domain.beginBackup(
                request, checkpoint: CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
        }

        #expect(error?.message.contains("exists") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch)) == Data("left by an earlier run".utf8))
        #expect(try !guest.domain.hasBackupJob())
        #expect(try guest.domain.checkpoints() == [])
    }

    @Test(.timeLimit(.minutes(2)))
    func incrementalFromACheckpointDeletedBehindOurBackIsABrokenChainAndStartsNothing() throws {
        let guest = try CBTGuest.suiteGuest()
        defer { guest.deleteAllCheckpoints() }
        try guest.domain.createCheckpoint(CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
        try guest.virsh(["checkpoint-delete", guest.name, Self.first.rawValue])

        let error = #expect(throws: LibvirtError.self) {
            try guest.domain.beginBackup(
                guest.pullBackup(incrementalSince: Self.first.rawValue),
                checkpoint: CheckpointDefinition(name: Self.second, bitmapDisks: ["vda"]))
        }

        #expect(error?.isBrokenCheckpointChain == true)
        #expect(error?.isNoCheckpoint == true)
        #expect(error?.call == "virDomainBackupBegin")
        #expect(try !guest.domain.hasBackupJob())
        #expect(try guest.jobFiles() == [])
        #expect(try guest.domain.checkpoints() == [])
    }

    @Test(.timeLimit(.minutes(2)))
    func checkpointsAreListedParentFirstAndDescribeTheirBitmaps() throws {
        let guest = try CBTGuest.suiteGuest()
        defer { guest.deleteAllCheckpoints() }
        try guest.domain.createCheckpoint(CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
        try guest.domain.createCheckpoint(CheckpointDefinition(name: Self.second, bitmapDisks: ["vda"]))
        try guest.write(pattern: 0x5a, offset: 0, length: 2 * Self.mebibyte)

        #expect(
            try guest.domain.checkpoints() == [
                DomainCheckpoint(name: Self.first.rawValue, parent: nil),
                DomainCheckpoint(name: Self.second.rawValue, parent: Self.first.rawValue),
            ])
        #expect(try guest.domain.checkpoint(named: Self.second.rawValue).parent == Self.first.rawValue)
        let disks = try CheckpointXML.disks(
            fromCheckpointXML: guest.domain.checkpointXML(named: Self.second.rawValue, sizes: true))
        #expect(
            disks == [
                CheckpointDisk(
                    name: "vda", hasBitmap: true, bitmap: Self.second.rawValue, changedBytes: 2 * Self.mebibyte)
            ])
        let missing = #expect(throws: LibvirtError.self) {
            try guest.domain.checkpoint(named: "vmbackup-none")
        }
        #expect(missing?.isNoCheckpoint == true)

        try guest.domain.deleteCheckpoint(Self.second)
        // Deleting the child merged its bitmap into the parent's: the parent still sees the write.
        let parent = try CheckpointXML.disks(
            fromCheckpointXML: guest.domain.checkpointXML(named: Self.first.rawValue, sizes: true))
        #expect(parent.first?.changedBytes == 2 * Self.mebibyte)
        try guest.domain.deleteCheckpoint(Self.first, metadataOnly: true)
        #expect(try guest.domain.checkpoints() == [])
        // A metadata-only delete leaves the bitmap in the image, so its name cannot be used again
        // until the bitmap is removed.
        #expect(throws: LibvirtError.self) {
            try guest.domain.createCheckpoint(CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
        }
        try guest.removeBitmap(named: Self.first.rawValue)
        try guest.domain.createCheckpoint(CheckpointDefinition(name: Self.first, bitmapDisks: ["vda"]))
    }
}
