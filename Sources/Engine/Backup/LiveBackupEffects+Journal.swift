import Catalog

/// The job's journal entry: written before each step that changes something outside the
/// daemon, so that a crash leaves enough to undo it (see docs/RELIABILITY.md).
extension LiveBackupEffects {
    /// Records the job before its first change: a job that cannot be journaled changes nothing.
    func journal(_ entry: JournalEntry) async throws {
        do {
            try await context.catalog.journal(entry)
        } catch {
            throw EngineError(
                .internal, "cannot write the journal, so nothing was changed: \(error)", step: .prepare, vm: vm,
                cause: error)
        }
    }

    /// Records that the job enters `phase` (and, when given, whether the guest may be frozen),
    /// before the step that may need undoing; a job that cannot say so does not take the step.
    func journal(_ phase: JournalPhase, guestMayBeFrozen: Bool? = nil) async throws {
        do {
            try await context.catalog.journal(jobID: context.jobID, phase: phase, guestMayBeFrozen: guestMayBeFrozen)
        } catch {
            throw EngineError(
                .internal, "cannot write the journal, so the job stops here: \(error)", vm: vm, cause: error)
        }
    }

    /// Records progress after a step that undid something; if it cannot be written, a recovery
    /// only does more than it needs to, so a failure is logged, not fatal.
    func journalIfPossible(_ phase: JournalPhase, guestMayBeFrozen: Bool? = nil) async {
        do {
            try await context.catalog.journal(jobID: context.jobID, phase: phase, guestMayBeFrozen: guestMayBeFrozen)
        } catch {
            context.logger.warning("cannot update the journal", metadata: ["error": "\(error)"])
        }
    }
}
