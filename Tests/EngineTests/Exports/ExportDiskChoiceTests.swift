import APIModel
import Catalog
import Foundation
import Targets
import Testing

@testable import Engine

/// Which disk of a backup a mount serves.
@Suite struct ExportDiskChoiceTests {
    static func backup(_ disks: [ManifestDisk]) -> CatalogBackup {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        let manifest = Manifest(
            vmName: "web01", vmUUID: "8ab696c5-9e01-4a5c-9d6c-2e471893e57f", backupID: "20261122T013000Z-3f9a",
            created: created, consistency: .crash, disks: disks)
        return CatalogBackup(
            vmUUID: manifest.vmUUID, id: manifest.backupID, vmName: "web01", created: created, consistency: .crash,
            location: "/srv/backups/x", target: "default", manifest: manifest)
    }

    static func stored(_ target: String, format: String = "qcow2") -> ManifestDisk {
        ManifestDisk(target: target, method: .qcow2, format: format, virtualSize: 1 << 30, file: target + ".qcow2")
    }

    static let cdrom = ManifestDisk(target: "sda", excluded: "cdrom")

    @Test func theOnlyStoredDiskNeedsNoName() throws {
        #expect(try ExportDiskChoice.disk(nil, of: Self.backup([Self.stored("vda"), Self.cdrom])).target == "vda")
    }

    @Test func aNamedDiskIsChosen() throws {
        #expect(
            try ExportDiskChoice.disk("vdb", of: Self.backup([Self.stored("vda"), Self.stored("vdb")])).target == "vdb")
    }

    @Test func severalDisksAndNoneNamedIsABadRequestListingThem() {
        let error = #expect(throws: EngineError.self) {
            try ExportDiskChoice.disk(nil, of: Self.backup([Self.stored("vda"), Self.stored("vdb"), Self.cdrom]))
        }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("holds 2 disks (vda, vdb)") == true)
        #expect(error?.message.contains("--disk") == true)
    }

    @Test func anUnknownDiskIsABadRequestListingTheStoredOnes() {
        let error = #expect(throws: EngineError.self) {
            try ExportDiskChoice.disk("vdz", of: Self.backup([Self.stored("vda"), Self.stored("vdb")]))
        }
        #expect(error?.code == .badRequest)
        #expect(
            error?.message
                == #"backup 20261122T013000Z-3f9a of VM web01 has no disk "vdz"; its stored disks: vda, vdb"#)
    }

    @Test func anExcludedDiskIsABadRequestSayingWhy() {
        let error = #expect(throws: EngineError.self) {
            try ExportDiskChoice.disk("sda", of: Self.backup([Self.stored("vda"), Self.cdrom]))
        }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("(cdrom)") == true)
        #expect(error?.message.contains("its stored disks: vda") == true)
    }

    @Test func aBackupWithoutStoredDisksHasNothingToMount() {
        let error = #expect(throws: EngineError.self) { try ExportDiskChoice.disk(nil, of: Self.backup([Self.cdrom])) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("holds no stored disk") == true)
    }

    @Test func aFormatQemuNBDIsNotToldToReadIsRefused() {
        let error = #expect(throws: EngineError.self) {
            try ExportDiskChoice.disk(nil, of: Self.backup([Self.stored("vda", format: "vmdk")]))
        }
        #expect(error?.code == .badRequest)
    }
}
