import Foundation
import GRDB

/// The aggregates behind `/metrics`, in one read transaction.
extension BackupCatalog {
    /// The figures the catalog holds now; see ``CatalogFigures``.
    public func figures() async throws(CatalogError) -> CatalogFigures {
        try await read("read the figures for the metrics") { db in
            var figures = CatalogFigures()
            figures.stored = try Row.fetchAll(db, sql: Self.storedSQL).map { row in
                CatalogFigures.Stored(
                    vmName: row["vm_name"], target: row["target"], backups: row["backups"],
                    storedBytes: UInt64(max(0, row["stored_bytes"] as Int64? ?? 0)))
            }
            for row in try Row.fetchAll(db, sql: Self.newestBackupSQL) {
                figures.lastSuccess[row["vm_name"]] = row["at"]
            }
            for row in try Row.fetchAll(db, sql: Self.lastTaskSQL, arguments: ["succeeded"]) {
                let name: String = row["vm_name"]
                let finished: Date = row["at"]
                figures.lastSuccess[name] = max(figures.lastSuccess[name] ?? finished, finished)
            }
            for row in try Row.fetchAll(db, sql: Self.lastTaskSQL, arguments: ["failed"]) {
                figures.lastFailure[row["vm_name"]] = row["at"]
            }
            figures.lastVerification = try Row.fetchAll(db, sql: Self.lastVerificationSQL).map(Self.check)
            figures.lastDrill = try Row.fetchAll(db, sql: Self.lastDrillSQL).map(Self.check)
            return figures
        }
    }

    private static func check(_ row: Row) -> CatalogFigures.Check {
        CatalogFigures.Check(vmName: row["vm_name"], at: row["at"], ok: row["ok"])
    }

    /// The name of the VM `vm_uuid` in its newest backup.
    private static let vmNameSQL = """
        (SELECT n.vm_name FROM backup n WHERE n.vm_uuid = %@ ORDER BY n.created DESC LIMIT 1)
        """

    private static let storedSQL = """
        SELECT \(vmNameSQL.replacingOccurrences(of: "%@", with: "b.vm_uuid")) AS vm_name, b.target AS target,
            COUNT(*) AS backups,
            SUM((SELECT SUM(json_extract(d.value, '$.storedBytes')) FROM json_each(b.manifest, '$.disks') d))
                AS stored_bytes
        FROM backup b GROUP BY b.vm_uuid, b.target
        """

    private static let newestBackupSQL = """
        SELECT \(vmNameSQL.replacingOccurrences(of: "%@", with: "b.vm_uuid")) AS vm_name, MAX(b.created) AS at
        FROM backup b GROUP BY b.vm_uuid
        """

    /// The last backup task per VM name in the state given as the argument.
    private static let lastTaskSQL = """
        SELECT vm_name, MAX(finished) AS at FROM task
        WHERE kind = 'backup' AND state = ? AND finished IS NOT NULL GROUP BY vm_name
        """

    /// SQLite takes the bare columns of a `MAX()` aggregate from the row holding the maximum.
    /// A VM with a verification has backups (a verification goes with its backup); the filter
    /// only keeps a row without a name from breaking the read.
    private static let lastVerificationSQL = """
        SELECT * FROM (
            SELECT \(vmNameSQL.replacingOccurrences(of: "%@", with: "v.vm_uuid")) AS vm_name,
                MAX(v.verified) AS at, v.ok AS ok
            FROM verification v GROUP BY v.vm_uuid)
        WHERE vm_name IS NOT NULL
        """

    private static let lastDrillSQL = """
        SELECT (SELECT d2.vm_name FROM drill d2 WHERE d2.vm_uuid = d.vm_uuid ORDER BY d2.at DESC LIMIT 1) AS vm_name,
            MAX(d.at) AS at, d.ok AS ok
        FROM drill d GROUP BY d.vm_uuid
        """
}
