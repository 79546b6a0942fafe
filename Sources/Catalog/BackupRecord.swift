import APIModel
import Foundation
import GRDB
import Targets

/// A row of the `backup` table.
struct BackupRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "backup"

    var vmUUID: String
    var id: String
    var vmName: String
    var name: String?
    var description: String?
    var created: Date
    var parent: String?
    var consistency: Consistency
    var isProtected: Bool
    var location: String
    var target: String
    /// The manifest's JSON, byte for byte as `Manifest.encoded()` writes it to the target.
    var manifest: String

    enum CodingKeys: String, CodingKey {
        case vmUUID = "vm_uuid"
        case id
        case vmName = "vm_name"
        case name, description, created, parent, consistency
        case isProtected = "protected"
        case location, target, manifest
    }

    enum Columns {
        static let vmUUID = Column(CodingKeys.vmUUID)
        static let id = Column(CodingKeys.id)
        static let vmName = Column(CodingKeys.vmName)
        static let name = Column(CodingKeys.name)
        static let description = Column(CodingKeys.description)
        static let created = Column(CodingKeys.created)
        static let parent = Column(CodingKeys.parent)
        static let consistency = Column(CodingKeys.consistency)
        static let isProtected = Column(CodingKeys.isProtected)
        static let location = Column(CodingKeys.location)
        static let target = Column(CodingKeys.target)
        static let manifest = Column(CodingKeys.manifest)
    }

    /// The row for a published backup on `target`: every column comes from the manifest.
    init(_ stored: StoredBackup, target: String) throws(CatalogError) {
        let manifest = stored.manifest
        self.vmUUID = manifest.vmUUID
        self.id = manifest.backupID
        self.vmName = manifest.vmName
        self.name = manifest.name
        self.description = manifest.description
        self.created = manifest.created
        self.parent = manifest.parent
        self.consistency = manifest.consistency
        self.isProtected = manifest.protected
        self.location = stored.location
        self.target = target
        self.manifest = try Self.json(of: manifest, vmUUID: vmUUID, id: id)
    }

    /// The row's primary key.
    static func key(vmUUID: String, id: String) -> [String: (any DatabaseValueConvertible)?] {
        [CodingKeys.vmUUID.rawValue: vmUUID, CodingKeys.id.rawValue: id]
    }

    /// The manifest's text as the target stores it.
    static func json(of manifest: Manifest, vmUUID: String, id: String) throws(CatalogError) -> String {
        do {
            return String(decoding: try manifest.encoded(), as: UTF8.self)
        } catch {
            throw CatalogError(
                .unreadableRow, "encode the manifest of backup \(id) of VM \(vmUUID)", reason: "\(error)")
        }
    }

    /// The manifest the row holds.
    func decodedManifest() throws(CatalogError) -> Manifest {
        do {
            return try Manifest.decode(Data(manifest.utf8))
        } catch {
            throw CatalogError(.unreadableRow, "read the manifest of backup \(id) of VM \(vmUUID)", reason: "\(error)")
        }
    }

    /// The row as the catalog's callers see it.
    func catalogBackup(missingParent: Bool, verification: Verification? = nil) throws(CatalogError) -> CatalogBackup {
        CatalogBackup(
            vmUUID: vmUUID, id: id, vmName: vmName, name: name, description: description, created: created,
            parent: parent, missingParent: missingParent, consistency: consistency, isProtected: isProtected,
            location: location, target: target, manifest: try decodedManifest(), verification: verification)
    }
}

/// A `backup` row read together with whether its parent is missing from the catalog, and its
/// last verification.
struct BackupRow: FetchableRecord {
    var record: BackupRecord
    var missingParent: Bool
    var verification: VerificationRecord?

    init(row: Row) throws {
        record = try BackupRecord(row: row)
        missingParent = try row.decode(Bool.self, forColumn: Self.missingParentKey)
        verification = try row.decodeIfPresent(VerificationRecord.self, forKey: BackupRecord.verificationKey)
    }

    static let missingParentKey = "missing_parent"

    /// Every row of `backup`, each with `missing_parent`: whether it names a parent that no row
    /// of the same VM has.
    static func all() -> QueryInterfaceRequest<BackupRow> {
        annotated(where: { _ in nil })
    }

    /// The rows of one VM, oldest first.
    static func of(vmUUID: String) -> QueryInterfaceRequest<BackupRow> {
        all().filter(BackupRecord.Columns.vmUUID == vmUUID).oldestFirst()
    }

    /// The rows of one VM that start a chain (no parent, or a missing one), oldest first.
    static func roots(vmUUID: String) -> QueryInterfaceRequest<BackupRow> {
        annotated(where: { missingParent in BackupRecord.Columns.parent == nil || missingParent })
            .filter(BackupRecord.Columns.vmUUID == vmUUID).oldestFirst()
    }

    /// Rows of `backup` with `missing_parent`, filtered by `condition` of that same expression.
    private static func annotated(
        where condition: (_ missingParent: SQLExpression) -> SQLExpression?
    ) -> QueryInterfaceRequest<BackupRow> {
        typealias Columns = BackupRecord.Columns
        // Named, so that the subquery (over the same table) can tell the outer row from its own.
        let backup = TableAlias<BackupRecord>(name: "child")
        let parentRow = BackupRecord.filter(
            Columns.vmUUID == backup[Columns.vmUUID] && Columns.id == backup[Columns.parent])
        let missingParent = backup[Columns.parent] != nil && !parentRow.exists()
        var request = BackupRecord.aliased(backup).annotated(with: missingParent.forKey(missingParentKey))
            .including(optional: BackupRecord.verification)
        if let condition = condition(missingParent) { request = request.filter(condition) }
        return request.asRequest(of: BackupRow.self)
    }

    func catalogBackup() throws(CatalogError) -> CatalogBackup {
        try record.catalogBackup(missingParent: missingParent, verification: verification?.verification)
    }
}

extension QueryInterfaceRequest<BackupRow> {
    /// Oldest first; backups of the same second by id.
    func oldestFirst() -> Self {
        order(BackupRecord.Columns.created, BackupRecord.Columns.id)
    }

    /// Newest first; the reverse of `oldestFirst`.
    func newestFirst() -> Self {
        order(BackupRecord.Columns.created.desc, BackupRecord.Columns.id.desc)
    }
}
