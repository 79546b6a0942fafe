import APIModel
import Foundation
import GRDB

/// The drills' results, one row per drill: kept apart from the backups, whose rows a rebuild
/// from the targets rewrites, and removed with the backup they drilled.
extension BackupCatalog {
    public func recordDrill(_ result: DrillResult) async throws(CatalogError) {
        let row = DrillRow(result)
        try await write("record the drill of backup \(result.backupID)") { db in try row.insert(db) }
    }

    /// The drills of a VM, newest first.
    public func drills(vmUUID: String) async throws(CatalogError) -> [DrillResult] {
        try await read("read the drills of VM \(vmUUID)") { db in
            try DrillRow.filter(Column("vm_uuid") == vmUUID).order(Column("at").desc).fetchAll(db).map(\.result)
        }
    }
}

/// A row of `drill`.
struct DrillRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "drill"

    var vmUUID: String
    var vmName: String
    var backupID: String
    var at: Date
    var ok: Bool
    var secondsToAgent: Double?
    var filesystems: String
    var problem: String?

    enum CodingKeys: String, CodingKey {
        case vmUUID = "vm_uuid"
        case vmName = "vm_name"
        case backupID = "backup_id"
        case at, ok
        case secondsToAgent = "seconds_to_agent"
        case filesystems, problem
    }

    init(_ result: DrillResult) {
        vmUUID = result.vmUUID
        vmName = result.vm
        backupID = result.backupID
        at = result.at
        ok = result.ok
        secondsToAgent = result.secondsToAgent
        filesystems = result.filesystems.joined(separator: "\n")
        problem = result.problem
    }

    var result: DrillResult {
        DrillResult(
            vm: vmName, vmUUID: vmUUID, backupID: backupID, at: at, ok: ok, secondsToAgent: secondsToAgent,
            filesystems: filesystems.split(separator: "\n").map(String.init), problem: problem)
    }
}
