import GRDB

/// Edits of one backup. Each changes the index (and the manifest it holds) only: the caller also
/// rewrites the backup's manifest on the target, which stays the truth.
extension BackupCatalog {
    /// Gives backup `id` the name `name`, or takes its name away when `name` is `nil`. The
    /// manifest the catalog holds for it changes too. Throws `notFound` for an unknown backup.
    @discardableResult
    public func rename(vmUUID: String, id: String, name: String?) async throws(CatalogError) -> CatalogBackup {
        try await update("rename backup \(id) of VM \(vmUUID)", vmUUID: vmUUID, id: id) { record throws(CatalogError) in
            try record.edit { $0.name = name }
        }
    }

    /// Sets the description of backup `id`, or removes it when `description` is `nil`. Throws
    /// `notFound` for an unknown backup.
    @discardableResult
    public func describe(vmUUID: String, id: String, description: String?) async throws(CatalogError)
        -> CatalogBackup
    {
        try await update("describe backup \(id) of VM \(vmUUID)", vmUUID: vmUUID, id: id) {
            record throws(CatalogError) in
            try record.edit { $0.description = description }
        }
    }

    /// Protects backup `id` from retention and deletion, or lifts the protection. Throws
    /// `notFound` for an unknown backup. The catalog records the flag; enforcing it is the
    /// caller's.
    @discardableResult
    public func setProtected(vmUUID: String, id: String, _ isProtected: Bool) async throws(CatalogError)
        -> CatalogBackup
    {
        let verb = isProtected ? "protect" : "unprotect"
        return try await update("\(verb) backup \(id) of VM \(vmUUID)", vmUUID: vmUUID, id: id) {
            record throws(CatalogError) in
            try record.edit { $0.protected = isProtected }
        }
    }

    /// Removes backup `id` from the catalog; returns whether it was there. Its incrementals stay
    /// and are listed as roots whose parent is missing.
    @discardableResult
    public func remove(vmUUID: String, id: String) async throws(CatalogError) -> Bool {
        try await write("remove backup \(id) of VM \(vmUUID)") { db in
            try BackupRecord.deleteOne(db, key: BackupRecord.key(vmUUID: vmUUID, id: id))
        }
    }

    /// Applies `change` to the row of backup `id` in one transaction and returns the result.
    private func update(
        _ operation: String, vmUUID: String, id: String, _ change: @Sendable (inout BackupRecord) throws -> Void
    ) async throws(CatalogError) -> CatalogBackup {
        try await write(operation) { db in
            guard var record = try BackupRecord.fetchOne(db, key: BackupRecord.key(vmUUID: vmUUID, id: id)) else {
                throw CatalogError(.notFound, operation, reason: "the catalog has no backup \(id) of VM \(vmUUID)")
            }
            try change(&record)
            try record.update(db)
            return try Self.fetchBackup(db, vmUUID: vmUUID, id: id, operation: operation)
        }
    }
}
