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
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        do {
            self.entry = String(decoding: try encoder.encode(entry), as: UTF8.self)
        } catch {
            throw CatalogError(.unreadableRow, "restore journal job \(entry.jobID)", reason: "\(error)")
        }
    }

    func decodedEntry() throws -> RestoreJournalEntry {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(RestoreJournalEntry.self, from: Data(entry.utf8))
        } catch {
            throw CatalogError(.unreadableRow, "read the restore journal of job \(jobID)", reason: "\(error)")
        }
    }
}
