import Foundation
import Libvirt
import NBD
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a crash of QEMU does to checkpoints, how the daemon forgets the broken chain, and that a
/// full backup with a new checkpoint then works on the same images.
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    CBTGuest.shared("broken"))
struct BrokenChainTests {
    @Test(.timeLimit(.minutes(3)))
    func afterQEMUWasKilledTheChainIsBrokenAndForgettingItLetsAFullBackupStartANewOne() throws {
        let guest = try CBTGuest.suiteGuest()
        let first = CheckpointName(backupID: "crash-a")
        let second = CheckpointName(backupID: "crash-b")
        let unsaved = CheckpointName(backupID: "crash-c")
        let fresh = CheckpointName(backupID: "crash-full")
        // Another tool's checkpoint, which the daemon must leave alone.
        try guest.virsh(["checkpoint-create-as", guest.name, "othertool.0", "--diskspec", "vda,checkpoint=bitmap"])
        defer { _ = try? guest.virsh(["checkpoint-delete", guest.name, "othertool.0", "--metadata"]) }
        try guest.domain.createCheckpoint(CheckpointDefinition(name: first, bitmapDisks: ["vda"]))
        try guest.write(pattern: 0x77, offset: 0, length: 1 << 20)
        try guest.domain.createCheckpoint(CheckpointDefinition(name: second, bitmapDisks: ["vda"]))
        // A clean exit stores the bitmaps in the image; the next checkpoint's never gets there.
        try guest.domain.destroy()
        try guest.domain.start()
        try guest.domain.createCheckpoint(CheckpointDefinition(name: unsaved, bitmapDisks: ["vda"]))

        try guest.killQEMU()
        try guest.domain.start()
        let error = #expect(throws: LibvirtError.self) {
            try guest.domain.beginBackup(
                guest.pullBackup(incrementalSince: second.rawValue),
                checkpoint: CheckpointDefinition(name: fresh, bitmapDisks: ["vda"]))
        }
        #expect(error?.isBrokenCheckpointChain == true)
        #expect(error?.isNoCheckpoint == false)
        #expect(error?.message.contains("missing or broken bitmap") == true)
        #expect(try !guest.domain.hasBackupJob())

        // The fallback: forget the broken chain, begin a full backup with a new checkpoint.
        #expect(try guest.domain.deleteOwnCheckpoints() == [unsaved])
        #expect(try guest.domain.checkpoints().map(\.name) == ["othertool.0"])
        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: nil),
            checkpoint: CheckpointDefinition(name: fresh, bitmapDisks: ["vda"]))
        let disk = try #require(try BackupJobXML.disks(fromBackupXML: guest.domain.backupJobXML()).first)
        #expect(disk.exportBitmap == nil)
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())
        #expect(try guest.domain.checkpoints().map(\.name) == ["othertool.0", fresh.rawValue])
        #expect(try guest.domain.deleteOwnCheckpoints() == [])
        #expect(try guest.domain.checkpoints().map(\.name) == ["othertool.0"])
    }
}
