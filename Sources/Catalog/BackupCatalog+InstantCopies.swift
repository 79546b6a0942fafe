import Foundation
import GRDB

/// The instant copies: domains running on overlays of stored images, recorded before the domain
/// is defined and removed once it no longer needs the target.
extension BackupCatalog {
    public func saveInstantCopy(_ copy: InstantCopy) async throws(CatalogError) {
        let row = try InstantCopyRow(copy)
        try await write("record instant copy \(copy.domainName)") { db in try row.save(db) }
    }

    public func removeInstantCopy(domainUUID: String) async throws(CatalogError) {
        try await write("forget instant copy \(domainUUID)") { db in
            _ = try InstantCopyRow.deleteOne(db, key: domainUUID)
        }
    }

    /// Every recorded instant copy, oldest first.
    public func instantCopies() async throws(CatalogError) -> [InstantCopy] {
        try await read("read the instant copies") { db in
            try InstantCopyRow.order(Column("created")).fetchAll(db).map { try $0.decoded() }
        }
    }
}

/// A row of `instant_copy`: the copy as JSON, keyed by the domain's UUID.
struct InstantCopyRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "instant_copy"

    var domainUUID: String
    var vmUUID: String
    var created: Date
    var copy: String

    enum CodingKeys: String, CodingKey {
        case domainUUID = "domain_uuid"
        case vmUUID = "vm_uuid"
        case created, copy
    }

    init(_ copy: InstantCopy) throws(CatalogError) {
        domainUUID = copy.domainUUID
        vmUUID = copy.vmUUID
        created = copy.created
        self.copy = try JSONColumn.encode(copy, what: "instant copy \(copy.domainName)")
    }

    func decoded() throws -> InstantCopy {
        try JSONColumn.decode(InstantCopy.self, from: copy, what: "read instant copy \(domainUUID)")
    }
}
