import GRDB
import Targets

/// What ``BackupCatalog/rebuild(from:target:)`` changed.
public struct RebuildReport: Sendable, Equatable {
    /// The target that was rebuilt.
    public var target: String
    /// Backups recorded from the manifests.
    public var recorded: Int
    /// The VMs those backups belong to.
    public var vms: Int
    /// Recorded backups the catalog did not have before.
    public var added: Int
    /// Backups the catalog had on the target that its manifests no longer list.
    public var dropped: Int

    public init(target: String, recorded: Int, vms: Int, added: Int, dropped: Int) {
        self.target = target
        self.recorded = recorded
        self.vms = vms
        self.added = added
        self.dropped = dropped
    }
}

extension BackupCatalog {
    /// Makes the catalog's rows of `target` again from that target's manifests: removes every
    /// backup recorded on `target` and records `manifests` instead. Rows of other targets stay.
    /// The verifications of the backups found again stay; those of backups no longer there go.
    ///
    /// All of it happens in one transaction: if anything fails (a backup given twice, or already
    /// recorded on another target, or the process dies), the catalog keeps the rows it had.
    @discardableResult
    public func rebuild(from manifests: [StoredBackup], target: String) async throws(CatalogError) -> RebuildReport {
        let operation = "rebuild the catalog of target '\(target)'"
        return try await write(operation) { db in
            let request = BackupRecord.filter(BackupRecord.Columns.target == target)
            var previous: [BackupKey: BackupRecord] = [:]
            for record in try request.fetchAll(db) {
                previous[BackupKey(vmUUID: record.vmUUID, id: record.id)] = record
            }
            try request.deleteAll(db)
            for stored in manifests {
                let key = BackupKey(vmUUID: stored.manifest.vmUUID, id: stored.manifest.backupID)
                do {
                    try BackupRecord(stored, target: target).insert(db)
                } catch DatabaseError.SQLITE_CONSTRAINT_PRIMARYKEY {
                    throw try Self.duplicate(db, key, target: target, operation: operation)
                }
            }
            try Self.dropOrphanVerifications(db, target: target)
            let keys = Set(manifests.map { BackupKey(vmUUID: $0.manifest.vmUUID, id: $0.manifest.backupID) })
            return RebuildReport(
                target: target, recorded: manifests.count, vms: Set(keys.map(\.vmUUID)).count,
                added: keys.subtracting(previous.keys).count, dropped: Set(previous.keys).subtracting(keys).count)
        }
    }

    /// Removes the rows of every target not in `targets` (one taken out of the config): the
    /// backups stay on it, and a rebuild finds them again when it comes back. Returns how many
    /// rows went.
    @discardableResult
    public func forgetTargets(except targets: Set<String>) async throws(CatalogError) -> Int {
        try await write("forget the targets not in the config") { db in
            try BackupRecord.filter(!targets.contains(BackupRecord.Columns.target)).deleteAll(db)
        }
    }

    /// The error for a backup that could not be inserted because a row has its key.
    private static func duplicate(
        _ db: Database, _ key: BackupKey, target: String, operation: String
    ) throws -> CatalogError {
        let holder = try BackupRecord.select(BackupRecord.Columns.target)
            .filter(key: BackupRecord.key(vmUUID: key.vmUUID, id: key.id))
            .asRequest(of: String.self).fetchOne(db)
        let reason =
            holder == target
            ? "backup \(key.id) of VM \(key.vmUUID) is given twice"
            : "backup \(key.id) of VM \(key.vmUUID) is also recorded on target '\(holder ?? "?")'"
        return CatalogError(.duplicateBackup, operation, reason: reason + "; the catalog was left as it was")
    }
}

/// The primary key of a backup row.
struct BackupKey: Hashable, Sendable {
    var vmUUID: String
    var id: String
}
