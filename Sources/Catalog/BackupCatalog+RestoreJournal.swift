import Foundation
import GRDB

/// The restore journal: one row per restore job that may have written something it has not
/// finished, written before the writing starts and removed when the job succeeded or undid it.
extension BackupCatalog {
    /// Records a restore job, or replaces its entry.
    public func journalRestore(_ entry: RestoreJournalEntry) async throws(CatalogError) {
        let row = try RestoreJournalRow(entry)
        try await write("journal restore job \(entry.jobID)") { db in
            try row.save(db)
        }
    }

    /// Removes a restore job's entry.
    public func closeRestoreJournal(jobID: String) async throws(CatalogError) {
        try await write("close the restore journal of job \(jobID)") { db in
            _ = try RestoreJournalRow.deleteOne(db, key: jobID)
        }
    }

    /// Every open restore entry, oldest first.
    public func restoreJournalEntries() async throws(CatalogError) -> [RestoreJournalEntry] {
        try await read("read the restore journal") { db in
            try RestoreJournalRow.order(Column("started"), Column("job_id")).fetchAll(db).map {
                try $0.decodedEntry()
            }
        }
    }
}

/// A row of the `restore_journal` table: the entry as JSON, with the columns to find it by.
struct RestoreJournalRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "restore_journal"

    var jobID: String
    var vmUUID: String
    var started: Date
    var entry: String

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case vmUUID = "vm_uuid"
        case started, entry
    }

    init(_ entry: RestoreJournalEntry) throws(CatalogError) {
        jobID = entry.jobID
        vmUUID = entry.vmUUID
        started = entry.started
        self.entry = try JSONColumn.encode(entry, what: "restore journal job \(entry.jobID)")
    }

    func decodedEntry() throws -> RestoreJournalEntry {
        try JSONColumn.decode(RestoreJournalEntry.self, from: entry, what: "read the restore journal of job \(jobID)")
    }
}
