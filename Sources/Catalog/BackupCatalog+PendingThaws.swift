import APIModel
import Foundation
import GRDB

/// Guests that may still be frozen: recorded before a job goes on without their thaw, so that
/// the background thaw outlives the job and a restart of the daemon.
extension BackupCatalog {
    /// Records that VM `thaw.vmUUID` may still be frozen. One already recorded keeps its first
    /// time and reason.
    public func recordPendingThaw(_ thaw: PendingThaw) async throws(CatalogError) {
        let row = PendingThawRow(thaw)
        try await write("record that VM \(thaw.vmName) may still be frozen") { db in
            try row.insert(db, onConflict: .ignore)
        }
    }

    /// Every guest that may still be frozen, oldest first.
    public func pendingThaws() async throws(CatalogError) -> [PendingThaw] {
        try await read("read the guests that may still be frozen") { db in
            try PendingThawRow.order(Column("since")).fetchAll(db).map(\.thaw)
        }
    }

    /// Notes one more background thaw of VM `vmUUID` that did not end it.
    public func notePendingThawAttempt(vmUUID: String, at date: Date, error: String) async throws(CatalogError) {
        try await write("note a thaw attempt of VM \(vmUUID)") { db in
            try db.execute(
                sql:
                    "UPDATE pending_thaw SET attempts = attempts + 1, last_attempt = ?, last_error = ? WHERE vm_uuid = ?",
                arguments: [date, error, vmUUID])
        }
    }

    /// Forgets the pending thaw of VM `vmUUID`: its agent says it is thawed, or it stopped.
    public func clearPendingThaw(vmUUID: String) async throws(CatalogError) {
        try await write("clear the pending thaw of VM \(vmUUID)") { db in
            try db.execute(sql: "DELETE FROM pending_thaw WHERE vm_uuid = ?", arguments: [vmUUID])
        }
    }
}

/// A row of `pending_thaw`.
struct PendingThawRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "pending_thaw"

    var vmUUID: String
    var vmName: String
    var since: Date
    var reason: String
    var attempts: Int
    var lastAttempt: Date?
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case vmUUID = "vm_uuid"
        case vmName = "vm_name"
        case since, reason, attempts
        case lastAttempt = "last_attempt"
        case lastError = "last_error"
    }

    init(_ thaw: PendingThaw) {
        vmUUID = thaw.vmUUID
        vmName = thaw.vmName
        since = thaw.since
        reason = thaw.reason
        attempts = thaw.attempts
        lastAttempt = thaw.lastAttempt
        lastError = thaw.lastError
    }

    var thaw: PendingThaw {
        PendingThaw(
            vmName: vmName, vmUUID: vmUUID, since: since, reason: reason, attempts: attempts,
            lastAttempt: lastAttempt, lastError: lastError)
    }
}
