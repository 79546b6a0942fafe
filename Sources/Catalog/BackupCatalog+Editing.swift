import GRDB

/// Removing a backup from the index. Renames, descriptions and protection are not edited here:
/// they are written to the manifest on the target, which stays the truth, and `record` indexes
/// the manifest again.
extension BackupCatalog {
    /// Removes backup `id` from the catalog, with its verification; returns whether it was
    /// there. Its incrementals stay and are listed as roots whose parent is missing.
    @discardableResult
    public func remove(vmUUID: String, id: String) async throws(CatalogError) -> Bool {
        try await write("remove backup \(id) of VM \(vmUUID)") { db in
            try VerificationRecord.deleteOne(db, key: VerificationRecord.key(vmUUID: vmUUID, backupID: id))
            return try BackupRecord.deleteOne(db, key: BackupRecord.key(vmUUID: vmUUID, id: id))
        }
    }
}
