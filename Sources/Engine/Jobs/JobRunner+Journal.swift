import Catalog
import Logging

/// Every kind of job journals the changes it makes outside the daemon under its task's id, before
/// it makes them; the runner closes the entry when the job has ended.
extension JobRunner {
    /// Closes a finished job's journal entry, or, when it could not undo everything, keeps the
    /// entry with what is left, so that the next start recovers it. A job that journaled nothing
    /// has no entry, and nothing happens.
    func closeJournal(jobID: String, leftBehind: [String], logger: Logger) async {
        // A cancelled job's entry is closed too: the writes must not see the job's cancellation,
        // or the next start would take a cleanly cancelled job for an interrupted one.
        let catalog = self.catalog
        await Task.detached {
            await Self.closeJournal(jobID: jobID, leftBehind: leftBehind, catalog: catalog, logger: logger)
        }.value
    }

    private static func closeJournal(
        jobID: String, leftBehind: [String], catalog: BackupCatalog, logger: Logger
    ) async {
        do {
            if leftBehind.isEmpty {
                try await catalog.closeJournal(jobID: jobID)
            } else if var entry = try await catalog.journalEntries().first(where: { $0.jobID == jobID }) {
                entry.problem = leftBehind.joined(separator: "; ")
                try await catalog.journal(entry)
                logger.error(
                    "the job left something behind; the journal keeps it for recovery at the next start",
                    metadata: ["problems": "\(entry.problem ?? "")"])
            }
        } catch {
            logger.warning("cannot update the journal", metadata: ["error": "\(error)"])
        }
    }
}
