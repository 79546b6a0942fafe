import GRDB
import Targets

extension BackupCatalog {
    /// Records a published backup of `target`, or replaces the row of a backup recorded before
    /// with what its manifest says now.
    ///
    /// Throws ``CatalogError/Code/duplicateBackup`` when the same backup (VM UUID and id) is
    /// recorded on another target: a backup lives on one target.
    @discardableResult
    public func record(_ stored: StoredBackup, target: String) async throws(CatalogError) -> CatalogBackup {
        let vmUUID = stored.manifest.vmUUID
        let id = stored.manifest.backupID
        let operation = "record backup \(id) of VM \(vmUUID)"
        return try await write(operation) { db in
            let previous = try BackupRecord.fetchOne(db, key: BackupRecord.key(vmUUID: vmUUID, id: id))
            if let previous, previous.target != target {
                throw CatalogError(
                    .duplicateBackup, operation,
                    reason: "it is recorded on target '\(previous.target)', not '\(target)'")
            }
            try BackupRecord(stored, target: target).save(db)
            return try Self.fetchBackup(db, vmUUID: vmUUID, id: id, operation: operation)
        }
    }

    /// Every backup of a VM, oldest first.
    public func backups(vmUUID: String) async throws(CatalogError) -> [CatalogBackup] {
        try await read("list the backups of VM \(vmUUID)") { db in
            try BackupRow.of(vmUUID: vmUUID).fetchAll(db).map { row throws(CatalogError) in try row.catalogBackup() }
        }
    }

    /// The backups of a VM that start a chain, oldest first: full backups, and incrementals whose
    /// parent is missing (``CatalogBackup/missingParent`` is set on those).
    public func roots(vmUUID: String) async throws(CatalogError) -> [CatalogBackup] {
        try await read("list the root backups of VM \(vmUUID)") { db in
            try BackupRow.roots(vmUUID: vmUUID).fetchAll(db).map { row throws(CatalogError) in try row.catalogBackup() }
        }
    }

    /// The incrementals made on top of backup `id`, oldest first.
    public func children(vmUUID: String, of id: String) async throws(CatalogError) -> [CatalogBackup] {
        try await read("list the children of backup \(id) of VM \(vmUUID)") { db in
            try BackupRow.of(vmUUID: vmUUID).filter(BackupRecord.Columns.parent == id)
                .fetchAll(db).map { row throws(CatalogError) in try row.catalogBackup() }
        }
    }

    /// One backup, or `nil` when the catalog has none by that id.
    public func backup(vmUUID: String, id: String) async throws(CatalogError) -> CatalogBackup? {
        try await read("read backup \(id) of VM \(vmUUID)") { db in
            try BackupRow.of(vmUUID: vmUUID).filter(BackupRecord.Columns.id == id).fetchOne(db)?.catalogBackup()
        }
    }

    /// The backups of a VM as trees, parent above its incrementals, for `vmbackup list --tree`.
    /// See ``BackupTreeNode/forest(of:)``.
    public func tree(vmUUID: String) async throws(CatalogError) -> [BackupTreeNode] {
        BackupTreeNode.forest(of: try await backups(vmUUID: vmUUID))
    }

    /// The newest backup of a VM (by creation time), on `target` when given, or `nil` when it
    /// has none. The scheduler uses it to tell whether a run was missed.
    public func lastBackup(vmUUID: String, target: String? = nil) async throws(CatalogError) -> CatalogBackup? {
        try await read("read the last backup of VM \(vmUUID)") { db in
            var request = BackupRow.all().filter(BackupRecord.Columns.vmUUID == vmUUID)
            if let target { request = request.filter(BackupRecord.Columns.target == target) }
            return try request.newestFirst().fetchOne(db)?.catalogBackup()
        }
    }

    /// The UUIDs of the VMs that have backups, sorted.
    public func vmUUIDs() async throws(CatalogError) -> [String] {
        try await read("list the VMs with backups") { db in
            try BackupRecord.select(BackupRecord.Columns.vmUUID).distinct().order(BackupRecord.Columns.vmUUID)
                .asRequest(of: String.self).fetchAll(db)
        }
    }

    /// The UUID of the VM named `name` in its backups, or `nil` when no backup names it.
    ///
    /// A name can pass from one VM to another (a VM deleted, a new one defined under its name):
    /// the VM whose backup under that name is the newest wins.
    public func vmUUID(named name: String) async throws(CatalogError) -> String? {
        try await read("look up VM \(name) in the catalog") { db in
            try BackupRecord.select(BackupRecord.Columns.vmUUID).filter(BackupRecord.Columns.vmName == name)
                .order(BackupRecord.Columns.created.desc, BackupRecord.Columns.id.desc)
                .asRequest(of: String.self).fetchOne(db)
        }
    }

    /// The backup as the catalog now holds it; `notFound` when it has none by that id.
    static func fetchBackup(_ db: Database, vmUUID: String, id: String, operation: String) throws -> CatalogBackup {
        guard let row = try BackupRow.of(vmUUID: vmUUID).filter(BackupRecord.Columns.id == id).fetchOne(db) else {
            throw CatalogError(.notFound, operation, reason: "the catalog has no backup \(id) of VM \(vmUUID)")
        }
        return try row.catalogBackup()
    }
}
