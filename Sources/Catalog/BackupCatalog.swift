import GRDB

/// The backup catalog: an index of the published backups of every VM, and of finished tasks, in
/// an embedded SQLite database (`<state_dir>/catalog.sqlite`).
///
/// The catalog is an index only. The truth is the targets' `manifest.json` files, and
/// ``rebuild(from:target:)`` makes the index again from them alone, so a fresh host can list
/// everything. A backup is renamed, described or protected in its manifest on the target first;
/// ``record(_:target:)`` then indexes the manifest again.
///
/// One connection serves every access (a GRDB `DatabaseQueue`): the catalog is small and
/// written a few times per backup, so parallel readers would buy nothing, while a single
/// connection makes every operation see the one before it. The file is in WAL mode, so that a
/// reader (an operator's `sqlite3`) and the daemon's writes do not block each other, with
/// `synchronous = FULL`, so that a backup recorded just before a power cut stays recorded.
/// Operations are `async` and run on GRDB's own queue, off Swift's cooperative pool.
public final class BackupCatalog: Sendable {
    /// The database file; `nil` for an in-memory catalog.
    public let path: String?
    let database: DatabaseQueue

    /// Opens the catalog at `path`, creating it (mode 0600) when missing and bringing its schema
    /// up to date. The folder holding `path` must exist.
    ///
    /// A database written by a newer version (one with migrations this version does not know)
    /// is refused with ``CatalogError/Code/schemaTooNew`` before anything in it is changed.
    /// Blocks the calling thread while it opens and migrates.
    public convenience init(path: String) throws(CatalogError) {
        let operation = "open catalog \(path)"
        try CatalogFile.createIfMissing(path)
        var configuration = Configuration()
        configuration.label = "vmbackup.catalog"
        // A second process (an operator's sqlite3) may hold the write lock for a moment.
        configuration.busyMode = .timeout(10)
        let database: DatabaseQueue
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw CatalogError(.cannotOpen, operation, reason: Self.reason(error))
        }
        try Self.refuseNewerSchema(database, operation: operation)
        try CatalogFile.restrictAccess(path)
        do {
            try database.writeWithoutTransaction { db in
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw CatalogError(.cannotOpen, operation, reason: "SQLite cannot put it in WAL mode")
                }
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try CatalogSchema.migrator.migrate(database)
        } catch {
            throw CatalogError.wrapping(error, operation: operation)
        }
        self.init(database: database, path: path)
    }

    /// A catalog that lives in memory only, for tests and dry runs.
    public static func inMemory() throws(CatalogError) -> BackupCatalog {
        do {
            let database = try DatabaseQueue()
            try CatalogSchema.migrator.migrate(database)
            return BackupCatalog(database: database, path: nil)
        } catch {
            throw CatalogError.wrapping(error, operation: "open an in-memory catalog")
        }
    }

    private init(database: DatabaseQueue, path: String?) {
        self.database = database
        self.path = path
    }

    /// Throws `schemaTooNew` when the database records migrations this version does not know.
    /// Only reads.
    private static func refuseNewerSchema(_ database: DatabaseQueue, operation: String) throws(CatalogError) {
        let migrator = CatalogSchema.migrator
        let unknown: Set<String>
        do {
            unknown = try database.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
        } catch {
            throw CatalogError(.cannotOpen, operation, reason: reason(error))
        }
        guard unknown.isEmpty else {
            throw CatalogError(
                .schemaTooNew, operation,
                reason: "a newer vmbackupd wrote it (unknown migrations: \(unknown.sorted().joined(separator: ", "))); "
                    + "it was left as it is: upgrade vmbackupd, or move it away and rebuild the catalog")
        }
    }

    private static func reason(_ error: any Error) -> String {
        CatalogError.wrapping(error, operation: "").reason
    }

    /// Runs `value` in a read transaction, reporting failures as errors of `operation`.
    func read<T: Sendable>(
        _ operation: String, _ value: @Sendable (Database) throws -> T
    ) async throws(CatalogError) -> T {
        do {
            return try await database.read(value)
        } catch {
            throw CatalogError.wrapping(error, operation: operation)
        }
    }

    /// Runs `updates` in one write transaction, which is rolled back if it throws; failures are
    /// reported as errors of `operation`.
    func write<T: Sendable>(
        _ operation: String, _ updates: @Sendable (Database) throws -> T
    ) async throws(CatalogError) -> T {
        do {
            return try await database.write(updates)
        } catch {
            throw CatalogError.wrapping(error, operation: operation)
        }
    }
}
