import Foundation
import GRDB

/// The restore journal: one row per restore job that may have written something it has not
/// finished, written before the writing starts and removed when the job succeeded or undid it.
extension BackupCatalog {
    /// Records a restore job, or replaces its entry.
    public func journalRestore(_ entry: RestoreJournalEntry) async throws(CatalogError) {
        let row = try JournalRow<RestoreJournalEntry>(entry)
        try await write("journal restore job \(entry.jobID)") { db in
            try row.save(db)
        }
    }

    /// Removes a restore job's entry.
    public func closeRestoreJournal(jobID: String) async throws(CatalogError) {
        try await write("close the restore journal of job \(jobID)") { db in
            _ = try JournalRow<RestoreJournalEntry>.deleteOne(db, key: jobID)
        }
    }

    /// Every open restore entry, oldest first.
    public func restoreJournalEntries() async throws(CatalogError) -> [RestoreJournalEntry] {
        try await read("read the restore journal") { db in
            try JournalRow<RestoreJournalEntry>.order(Column("started"), Column("job_id")).fetchAll(db).map {
                try $0.decodedEntry()
            }
        }
    }
}

extension RestoreJournalEntry: JournalRowEntry {
    static var journalTable: String { "restore_journal" }
    static var journalName: String { "restore journal" }
}
