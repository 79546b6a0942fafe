import Foundation
import GRDB

/// The journal: one row per backup job that may have changed something outside the daemon and
/// not undone it yet. Written before each such change (synchronous=FULL, so it is on disk when
/// the call returns) and removed when the job is clean.
extension BackupCatalog {
    /// Records a job, or replaces its entry: `phase` and `problem` included.
    public func journal(_ entry: JournalEntry) async throws(CatalogError) {
        let row = try JournalRow<JournalEntry>(entry)
        try await write("journal job \(entry.jobID) (\(entry.phase.rawValue))") { db in
            try row.save(db)
        }
    }

    /// Moves a job's entry to `phase` and, when given, sets whether the guest may be frozen; an
    /// entry that is gone stays gone.
    public func journal(jobID: String, phase: JournalPhase, guestMayBeFrozen: Bool? = nil) async throws(CatalogError) {
        try await write("journal job \(jobID) (\(phase.rawValue))") { db in
            guard var row = try JournalRow<JournalEntry>.fetchOne(db, key: jobID) else { return }
            var entry = try row.decodedEntry()
            entry.phase = phase
            if let guestMayBeFrozen { entry.guestMayBeFrozen = guestMayBeFrozen }
            row = try JournalRow<JournalEntry>(entry)
            try row.update(db)
        }
    }

    /// Removes a job's entry: the job left nothing to undo.
    public func closeJournal(jobID: String) async throws(CatalogError) {
        try await write("close the journal of job \(jobID)") { db in
            _ = try JournalRow<JournalEntry>.deleteOne(db, key: jobID)
        }
    }

    /// Every open entry, oldest first.
    public func journalEntries() async throws(CatalogError) -> [JournalEntry] {
        try await read("read the journal") { db in
            try JournalRow<JournalEntry>.order(Column("started"), Column("job_id")).fetchAll(db).map {
                try $0.decodedEntry()
            }
        }
    }
}

/// A journaled job's entry, kept as JSON in a row of its table (`journal`, `restore_journal`)
/// with the columns to find it by.
protocol JournalRowEntry: Codable, Sendable {
    /// The table the entries of this kind go to.
    static var journalTable: String { get }
    /// What the entry is, for errors: "journal", "restore journal".
    static var journalName: String { get }
    var jobID: String { get }
    var vmUUID: String { get }
    var started: Date { get }
}

extension JournalEntry: JournalRowEntry {
    static var journalTable: String { "journal" }
    static var journalName: String { "journal" }
}

/// A row of a journal table: the entry as JSON, with the columns to find it by.
struct JournalRow<Entry: JournalRowEntry>: Codable, FetchableRecord, PersistableRecord {
    static var databaseTableName: String { Entry.journalTable }

    var jobID: String
    var vmUUID: String
    var started: Date
    /// The entry as JSON.
    var entry: String

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case vmUUID = "vm_uuid"
        case started, entry
    }

    init(_ entry: Entry) throws(CatalogError) {
        jobID = entry.jobID
        vmUUID = entry.vmUUID
        started = entry.started
        self.entry = try JSONColumn.encode(entry, what: "\(Entry.journalName) job \(entry.jobID)")
    }

    func decodedEntry() throws -> Entry {
        try JSONColumn.decode(Entry.self, from: entry, what: "read the \(Entry.journalName) of job \(jobID)")
    }
}
