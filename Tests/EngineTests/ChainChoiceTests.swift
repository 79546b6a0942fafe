import APIModel
import Catalog
import Foundation
import Snapshots
import Targets
import Testing

@testable import Engine

/// The level and parent of a backup, chosen from the VM's backups: parents by level, `auto`'s
/// limits, and every broken chain made a full with its reason.
@Suite struct ChainChoiceTests {
    private static let now = Date(timeIntervalSince1970: 1_800_000_000)
    private static let limits = ChainChoice.Limits(fullEverySeconds: 7 * 86_400, maxChain: 3)
    private static let disks = [
        SelectedDisk(target: "vda", kind: .file, sourcePath: "/vm/vda.qcow2", format: "qcow2", method: .qcow2)
    ]

    private static func backup(
        _ id: String, hoursAgo: Double, parent: String? = nil, level: BackupLevel? = nil, schema: Int = 2,
        source: String? = "/vm/vda.qcow2", failed: Bool = false
    ) -> CatalogBackup {
        let created = now.addingTimeInterval(-hoursAgo * 3600)
        let disk = ManifestDisk(
            target: "vda", method: .qcow2, format: "qcow2", virtualSize: 1 << 30,
            index: schema >= 2 ? "vda.index" : nil, chunkSize: schema >= 2 ? 1 << 20 : nil,
            digest: schema >= 2 ? String(repeating: "a", count: 64) : nil, file: "vda.qcow2", source: source)
        let manifest = Manifest(
            schemaVersion: schema, vmName: "web01", vmUUID: "u", backupID: id, created: created, parent: parent,
            consistency: .filesystem, disks: [disk], level: level ?? (parent == nil ? .full : .incremental))
        return CatalogBackup(
            vmUUID: "u", id: id, vmName: "web01", created: created, parent: parent, consistency: .filesystem,
            location: "/t/u/\(id)", target: "default", manifest: manifest,
            verification: failed ? Verification(verified: now, ok: false) : nil)
    }

    private static func choose(
        _ level: BackupLevel, _ backups: [CatalogBackup], chainBreak: String? = nil
    ) -> ChainChoice {
        ChainChoice.choose(
            requested: level, backups: backups, disks: disks, limits: limits, now: now, chainBreak: chainBreak)
    }

    private static let chain = [
        backup("f", hoursAgo: 30), backup("i1", hoursAgo: 20, parent: "f"), backup("i2", hoursAgo: 10, parent: "i1"),
    ]

    @Test func fullAskedIsFullWithoutAReason() {
        #expect(Self.choose(.full, Self.chain) == .full)
    }

    @Test func incrementalIsOnTheNewestBackupAndDifferentialOnTheNewestFull() {
        let incremental = Self.choose(.incremental, Self.chain)
        #expect(incremental.level == .incremental)
        #expect(incremental.parent?.id == "i2")
        #expect(incremental.fullReason == nil)
        #expect(incremental.depth == 3)

        let differential = Self.choose(.differential, Self.chain)
        #expect(differential.level == .differential)
        #expect(differential.parent?.id == "f")
        #expect(differential.depth == 1)
    }

    @Test func autoStartsAChainWhenThereIsNoBackup() {
        let choice = Self.choose(.auto, [])
        #expect(choice.level == .full)
        #expect(choice.fullReason == "the VM has no earlier backup")
    }

    @Test func autoExtendsAYoungShortChainAndStartsAnotherOnceLongOrOld() {
        #expect(Self.choose(.auto, Self.chain).parent?.id == "i2")

        let long = Self.chain + [Self.backup("i3", hoursAgo: 5, parent: "i2")]
        let tooLong = Self.choose(.auto, long)
        #expect(tooLong.level == .full)
        #expect(tooLong.fullReason?.contains("max_chain is 3") == true)
        // Asked for explicitly, an incremental may go past max_chain.
        #expect(Self.choose(.incremental, long).parent?.id == "i3")

        let old = [Self.backup("f", hoursAgo: 8 * 24), Self.backup("i1", hoursAgo: 1, parent: "f")]
        let tooOld = Self.choose(.auto, old)
        #expect(tooOld.level == .full)
        #expect(tooOld.fullReason == "the chain's full backup f is 8 days old (full_every is 7 days)")
    }

    @Test func aBrokenChainIsNeverExtended() {
        let missing = Self.choose(.incremental, [Self.chain[0], Self.chain[2]])
        #expect(missing.level == .full)
        #expect(missing.fullReason == "backup i1, on which backup i2 is stored, is gone")

        let failed = Self.chain.dropLast() + [Self.backup("i2", hoursAgo: 10, parent: "i1", failed: true)]
        #expect(Self.choose(.auto, Array(failed)).fullReason == "backup i2 in the chain failed verification")
        let failedFull = [Self.backup("f", hoursAgo: 30, failed: true)] + Self.chain.dropFirst()
        #expect(Self.choose(.differential, Array(failedFull)).fullReason == "backup f in the chain failed verification")

        let restored = Self.choose(.auto, Self.chain, chainBreak: "the VM was restored in place from backup f")
        #expect(restored.level == .full)
        #expect(restored.fullReason == "the VM was restored in place from backup f")
    }

    @Test func aSwappedDiskOrAnOldFormatParentMakesAFull() {
        let swapped = Self.choose(.incremental, [Self.backup("f", hoursAgo: 1, source: "/old/vda.qcow2")])
        #expect(swapped.level == .full)
        #expect(swapped.fullReason == "disk vda now runs on /vm/vda.qcow2, not on /old/vda.qcow2 as in backup f")

        let formatOne = Self.choose(.incremental, [Self.backup("f", hoursAgo: 1, schema: 1)])
        #expect(formatOne.fullReason == "backup f has no chunk index (format 1)")
    }

    @Test func differentialWithoutAFullIsAFull() {
        let choice = Self.choose(.differential, [])
        #expect(choice.level == .full)
        #expect(choice.fullReason == "the VM has no full backup to store the changes since")
    }
}
