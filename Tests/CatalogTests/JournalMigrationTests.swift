import Foundation
import GRDB
import Testing

@testable import Catalog

/// Migration 3 gives each open journal entry of the version before its `guestMayBeFrozen`, as
/// its phase meant then.
@Suite struct JournalMigrationTests {
    @Test func openEntriesOfTheVersionBeforeKeepWhatTheirPhaseMeant() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        do {
            let database = try DatabaseQueue(path: path)
            try CatalogSchema.migrator.migrate(database, upTo: "v2-journal")
            try await database.write { db in
                for (job, phase) in [("a", "snapshotted"), ("b", "thawed"), ("c", "freezing")] {
                    let entry = """
                        {"backupID":"20261122T013000Z-3f9a","disks":[],"jobID":"\(job)","phase":"\(phase)",\
                        "started":"2027-01-15T08:00:00Z","target":"default","targetDirectory":"/srv/backups",\
                        "vmName":"web01","vmUUID":"\(Fixture.vm)"}
                        """
                    try db.execute(
                        sql: "INSERT INTO journal (job_id, vm_uuid, started, entry) VALUES (?, ?, ?, ?)",
                        arguments: [job, Fixture.vm, Fixture.epoch, entry])
                }
            }
        }

        let catalog = try BackupCatalog(path: path)
        let entries = try await catalog.journalEntries().sorted { $0.jobID < $1.jobID }
        #expect(entries.map(\.guestMayBeFrozen) == [true, false, true])
        let stored = try await catalog.database.read { db in
            try String.fetchAll(db, sql: "SELECT entry FROM journal ORDER BY job_id")
        }
        #expect(stored.allSatisfy { $0.contains("\"guestMayBeFrozen\":") }, "\(stored)")
    }
}
