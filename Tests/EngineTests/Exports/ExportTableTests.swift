import APIModel
import Foundation
import Testing

@testable import Engine

/// The bookkeeping that keeps mounts and deletions of one backup apart.
@Suite struct ExportTableTests {
    static let uuid = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    static let backupID = "20261122T013000Z-3f9a"
    static let started = Date(timeIntervalSince1970: 1_800_000_000)

    static func export(_ id: String, backup: String = backupID, disk: String = "vda", seconds: Double = 0)
        -> ExportSummary
    {
        let socket = "/run/vmbackup/nbd/\(uuid)-\(backup)-\(disk).sock"
        return ExportSummary(
            id: id, vmName: "web01", vmUUID: uuid, backupID: backup, disk: disk, socket: socket,
            uri: ExportSummary.uri(socket: socket), started: started.addingTimeInterval(seconds))
    }

    static let backup = ExportTable.BackupKey(vmUUID: uuid, backupID: backupID)

    @Test func aStartingExportIsNotListedButItsBackupIsInUse() throws {
        var table = ExportTable()
        try table.reserve(Self.export("e1"))
        #expect(table.serving.isEmpty)
        #expect(table.export("e1") == nil)
        #expect(table.backupsInUse(vmUUID: Self.uuid).mapValues { $0.map(\.id) } == [Self.backupID: ["e1"]])
        #expect(throws: EngineError.self) { try table.beginDeletion(of: [Self.backup], vmName: "web01") }
        table.activate("e1")
        #expect(table.serving.map(\.id) == ["e1"])
        #expect(table.export("e1")?.disk == "vda")
    }

    @Test func theSameDiskOfTheSameBackupIsServedOnce() throws {
        var table = ExportTable()
        try table.reserve(Self.export("e1"))
        let error = #expect(throws: EngineError.self) { try table.reserve(Self.export("e2")) }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message.contains("export e1") == true)
        #expect(error?.message.contains("vmbackup unmount e1") == true)
        try table.reserve(Self.export("e3", disk: "vdb"))
        try table.reserve(Self.export("e4", backup: "20261123T013000Z-77aa"))
    }

    @Test func aMountedBackupIsNotDeletedAndTheRefusalNamesTheExport() throws {
        var table = ExportTable()
        try table.reserve(Self.export("e1"))
        table.activate("e1")
        let error = #expect(throws: EngineError.self) {
            try table.beginDeletion(
                of: [Self.backup, .init(vmUUID: Self.uuid, backupID: "20261123T013000Z-77aa")], vmName: "web01")
        }
        #expect(error?.code == .backupInUse)
        #expect(
            error?.message
                == "backup \(Self.backupID) of VM web01 is mounted (export e1 serves disk vda of backup "
                + "\(Self.backupID)); stop the export first (vmbackup unmount e1); nothing was deleted")
        // A refusal holds nothing: once the export is gone, the mount is not refused for a deletion.
        table.remove("e1")
        try table.reserve(Self.export("e2"))
    }

    @Test func aBackupBeingDeletedIsNotMountedUntilEveryDeletionEnds() throws {
        var table = ExportTable()
        try table.beginDeletion(of: [Self.backup], vmName: "web01")
        try table.beginDeletion(of: [Self.backup], vmName: "web01")
        let error = #expect(throws: EngineError.self) { try table.reserve(Self.export("e1")) }
        #expect(error?.code == .backupInUse)
        table.endDeletion(of: [Self.backup])
        #expect(throws: EngineError.self) { try table.reserve(Self.export("e1")) }
        table.endDeletion(of: [Self.backup])
        try table.reserve(Self.export("e1"))
    }

    @Test func otherBackupsAndOtherVMsAreNotHeld() throws {
        var table = ExportTable()
        try table.reserve(Self.export("e1"))
        try table.beginDeletion(of: [.init(vmUUID: Self.uuid, backupID: "20261123T013000Z-77aa")], vmName: "web01")
        try table.beginDeletion(
            of: [.init(vmUUID: "0f3c7d2e-5b1a-4e8f-9c6d-7a2b1e0d4c3f", backupID: Self.backupID)], vmName: "db01")
        #expect(table.backupsInUse(vmUUID: "0f3c7d2e-5b1a-4e8f-9c6d-7a2b1e0d4c3f").isEmpty)
    }

    @Test func aClosedTableStartsNothingAndNamesWhatToStop() throws {
        var table = ExportTable()
        try table.reserve(Self.export("e1"))
        try table.reserve(Self.export("e2", disk: "vdb"))
        #expect(Set(table.close()) == ["e1", "e2"])
        let error = #expect(throws: EngineError.self) { try table.reserve(Self.export("e3", disk: "vdc")) }
        #expect(error?.code == .shuttingDown)
    }

    @Test func exportsAreListedOldestFirst() throws {
        var table = ExportTable()
        for (id, seconds, disk) in [("b", 20.0, "vda"), ("a", 10, "vdb"), ("c", 30, "vdc")] {
            try table.reserve(Self.export(id, disk: disk, seconds: seconds))
            table.activate(id)
        }
        #expect(table.serving.map(\.id) == ["a", "b", "c"])
        #expect(table.remove("a")?.disk == "vdb")
        #expect(table.remove("a") == nil)
        #expect(table.serving.map(\.id) == ["b", "c"])
    }
}
