import Foundation
import GRDB

/// Chain breaks: a VM whose disks changed behind its backups' back (a restore in place) must
/// start a new chain, whatever level its next backup asks for.
extension BackupCatalog {
    /// Records that the next backup of VM `vmUUID` must be a full, and why. A break already
    /// recorded keeps its first reason.
    public func recordChainBreak(vmUUID: String, reason: String, at date: Date = Date()) async throws(CatalogError) {
        try await write("record a chain break of VM \(vmUUID)") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO chain_break (vm_uuid, reason, recorded) VALUES (?, ?, ?)",
                arguments: [vmUUID, reason, date])
        }
    }

    /// Why the next backup of VM `vmUUID` must be a full; `nil` when nothing broke its chain.
    public func chainBreak(vmUUID: String) async throws(CatalogError) -> String? {
        try await read("read the chain break of VM \(vmUUID)") { db in
            try String.fetchOne(db, sql: "SELECT reason FROM chain_break WHERE vm_uuid = ?", arguments: [vmUUID])
        }
    }

    /// Forgets the chain break of VM `vmUUID`: a full backup of it was published.
    public func clearChainBreak(vmUUID: String) async throws(CatalogError) {
        try await write("clear the chain break of VM \(vmUUID)") { db in
            try db.execute(sql: "DELETE FROM chain_break WHERE vm_uuid = ?", arguments: [vmUUID])
        }
    }
}
