import APIModel
import Foundation
import GRDB

/// The last verification of each backup. Kept in a table of its own, so that it survives the
/// rebuild of the catalog from the targets (which records every backup row again); it goes with
/// its backup.
extension BackupCatalog {
    /// Records `verification` as the last one of backup `id` of VM `vmUUID`, replacing the one
    /// before. Throws `notFound` when the catalog has no such backup (it was deleted while it was
    /// verified): a verification is never kept for a backup that is gone.
    @discardableResult
    public func recordVerification(
        _ verification: Verification, vmUUID: String, id: String
    ) async throws(CatalogError) -> CatalogBackup {
        let operation = "record the verification of backup \(id) of VM \(vmUUID)"
        return try await write(operation) { db in
            guard let backup = try BackupRecord.fetchOne(db, key: BackupRecord.key(vmUUID: vmUUID, id: id)) else {
                throw CatalogError(.notFound, operation, reason: "the catalog has no backup \(id) of VM \(vmUUID)")
            }
            try VerificationRecord(verification, vmUUID: vmUUID, backupID: id, target: backup.target).save(db)
            return try Self.fetchBackup(db, vmUUID: vmUUID, id: id, operation: operation)
        }
    }

    /// The last verification of backup `id` of VM `vmUUID`; `nil` when it was never verified (or
    /// the catalog has no such backup).
    public func verification(vmUUID: String, id: String) async throws(CatalogError) -> Verification? {
        try await read("read the verification of backup \(id) of VM \(vmUUID)") { db in
            try VerificationRecord.fetchOne(db, key: VerificationRecord.key(vmUUID: vmUUID, backupID: id))?
                .verification
        }
    }

    /// Removes the verification rows of `target` whose backup the catalog no longer has; returns
    /// how many went. Part of a rebuild's transaction.
    @discardableResult
    static func dropOrphanVerifications(_ db: Database, target: String) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM verification
                WHERE target = ? AND NOT EXISTS (
                    SELECT 1 FROM backup WHERE backup.vm_uuid = verification.vm_uuid
                    AND backup.id = verification.backup_id)
                """,
            arguments: [target])
        return db.changesCount
    }
}
