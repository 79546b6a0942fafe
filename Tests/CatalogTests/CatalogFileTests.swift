import Catalog
import Foundation
import GRDB
import Testing

@Suite struct CatalogFileTests {
    @Test func reopeningTheFileKeepsTheBackupsAndTasks() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        let full = Fixture.stored(hours: 0)
        do {
            let catalog = try BackupCatalog(path: path)
            var described = full
            described.manifest.description = "kept"
            try await catalog.record(described, target: "default")
            try await catalog.saveTask(
                CatalogTask(id: "t1", kind: .backup, vmName: "web01", state: .succeeded, created: Fixture.epoch))
        }

        let reopened = try BackupCatalog(path: path)
        #expect(reopened.path == path)
        #expect(try await reopened.backups(vmUUID: Fixture.vm).map(\.description) == ["kept"])
        #expect(try await reopened.task(id: "t1")?.state == .succeeded)
    }

    @Test func theDatabaseAndSQLiteFilesBesideItAreReadableByTheOwnerOnly() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        let catalog = try BackupCatalog(path: path)
        try await catalog.record(Fixture.stored(hours: 0), target: "default")

        for file in [path, path + "-wal", path + "-shm"] {
            #expect(try Fixture.permissions(file) == 0o600, "\(file)")
        }
    }

    @Test func anExistingDatabaseOpenToOthersIsMadePrivate() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        _ = try BackupCatalog(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)

        _ = try BackupCatalog(path: path)

        #expect(try Fixture.permissions(path) == 0o600)
    }

    @Test func anEmptyFileIsMigratedToTheSchemaInWALMode() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))

        let catalog = try BackupCatalog(path: path)
        try await catalog.record(Fixture.stored(hours: 0), target: "default")
        try await catalog.saveTask(CatalogTask(id: "t1", kind: .backup, vmName: "web01", state: .queued, created: .now))

        let database = try DatabaseQueue(path: path)
        let schema = try await database.read { db in
            (
                tables: try ["backup", "task", "journal", "verification", "chain_break", "pending_thaw"].filter {
                    try db.tableExists($0)
                },
                indexes: try db.indexes(on: "backup").map(\.columns),
                primaryKey: try db.primaryKey("backup").columns,
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            )
        }
        #expect(schema.tables == ["backup", "task", "journal", "verification", "chain_break", "pending_thaw"])
        #expect(schema.indexes.contains(["vm_uuid", "created"]))
        #expect(schema.indexes.contains(["vm_uuid", "parent"]))
        #expect(schema.primaryKey == ["vm_uuid", "id"])
        #expect(schema.journalMode == "wal")
        #expect(
            schema.migrations == [
                "v1-backups-and-tasks", "v2-journal", "v3-journal-guest-frozen", "v4-restore-journal",
                "v5-instant-copies", "v6-drills", "v7-verifications", "v8-chain-breaks", "v9-pending-thaws",
            ])
    }

    @Test func aCatalogOfTheFirstSchemaGainsTheJournalAndKeepsItsRows() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        let full = Fixture.stored(hours: 0)
        do {
            let catalog = try BackupCatalog(path: path)
            try await catalog.record(full, target: "default")
        }
        // Take the database back to the first schema, as an older vmbackupd left it.
        do {
            let database = try DatabaseQueue(path: path)
            try await database.write { db in
                try db.execute(sql: "DROP TABLE journal")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2-journal'")
            }
        }

        let upgraded = try BackupCatalog(path: path)
        #expect(try await upgraded.backups(vmUUID: Fixture.vm).map(\.id) == [full.id])
        #expect(try await upgraded.journalEntries().isEmpty)
    }

    @Test func aDatabaseFromANewerVersionIsRefusedAndLeftAsItIs() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        _ = try BackupCatalog(path: path)
        do {
            let database = try DatabaseQueue(path: path)
            try database.write { db in
                try db.execute(sql: "CREATE TABLE future (id TEXT PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v3-future')")
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = #expect(throws: CatalogError.self) { try BackupCatalog(path: path) }

        #expect(error?.code == .schemaTooNew)
        #expect(error?.description.contains("v3-future") == true)
        #expect(error?.description.contains(path) == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFileThatIsNoDatabaseIsRefused() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x5a, count: 4096)))

        let error = #expect(throws: CatalogError.self) { try BackupCatalog(path: path) }

        #expect(error?.code == .cannotOpen)
        #expect(error?.description.hasPrefix("cannot open catalog \(path): ") == true)
    }

    @Test func aMissingFolderIsReportedWithThePath() throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/missing/catalog.sqlite"

        let error = #expect(throws: CatalogError.self) { try BackupCatalog(path: path) }

        #expect(error?.code == .cannotOpen)
        #expect(error?.description == "cannot create catalog \(path): No such file or directory")
    }

    @Test func inMemoryCatalogsAreIndependent() async throws {
        let first = try BackupCatalog.inMemory()
        let second = try BackupCatalog.inMemory()
        try await first.record(Fixture.stored(hours: 0), target: "default")
        #expect(first.path == nil)
        #expect(try await second.vmUUIDs().isEmpty)
    }
}
