import Foundation
import Libvirt
import NBD
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a crash of QEMU does to checkpoints, and that a full backup with a new checkpoint still
/// works on the same images afterwards (the fallback when a chain is broken).
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    CBTGuest.shared("broken"))
struct BrokenChainTests {
    @Test(.timeLimit(.minutes(3)))
    func afterQEMUWasKilledTheCheckpointsBitmapIsInconsistentAndAFullBackupStartsANewChain() throws {
        let guest = try CBTGuest.suiteGuest()
        let first = CheckpointName(backupID: "crash-a")
        let second = CheckpointName(backupID: "crash-b")
        let fresh = CheckpointName(backupID: "crash-full")
        try guest.domain.createCheckpoint(CheckpointDefinition(name: first, bitmapDisks: ["vda"]))
        try guest.write(pattern: 0x77, offset: 0, length: 1 << 20)

        // QEMU writes persistent bitmaps back to the image only when it exits cleanly.
        try guest.killQEMU()
        try guest.domain.start()
        let error = #expect(throws: LibvirtError.self) {
            try guest.domain.beginBackup(
                guest.pullBackup(incrementalSince: first.rawValue),
                checkpoint: CheckpointDefinition(name: second, bitmapDisks: ["vda"]))
        }
        #expect(error?.isBrokenCheckpointChain == true)
        #expect(error?.isNoCheckpoint == false)
        #expect(error?.message.contains("missing or broken bitmap") == true)
        #expect(try !guest.domain.hasBackupJob())
        #expect(try guest.domain.checkpoints().map(\.name) == [first.rawValue])

        // The fallback: forget the broken chain, begin a full backup with a new checkpoint.
        try guest.domain.deleteCheckpoint(first, metadataOnly: true)
        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: nil),
            checkpoint: CheckpointDefinition(name: fresh, bitmapDisks: ["vda"]))
        let disk = try #require(try BackupJobXML.disks(fromBackupXML: guest.domain.backupJobXML()).first)
        #expect(disk.exportBitmap == nil)
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())
        #expect(try guest.domain.checkpoints() == [DomainCheckpoint(name: fresh.rawValue, parent: nil)])
        try guest.domain.deleteCheckpoint(fresh)
        #expect(try guest.domain.checkpoints() == [])
    }
}
