import APIModel
import Catalog
import Foundation
import Libvirt
import Logging

/// Recovery of restores the daemon did not see to their end: what a restore to new files or a
/// new domain made is removed (it was never handed over); a disk written in place cannot be
/// undone, so its entry stays open, shown by `vmbackup status`, and the VM is neither started
/// by the daemon nor backed up until a restore of it succeeds.
extension BackupEngine {
    /// Settles every restore entry a crash left (entries without a problem: their job never
    /// ended); called by ``recover()`` at start.
    func recoverRestores(into report: inout RecoveryReport) async {
        await removeLeftDrills()
        let entries: [RestoreJournalEntry]
        do {
            entries = try await catalog.restoreJournalEntries()
        } catch {
            logger.critical("cannot read the restore journal", metadata: ["error": "\(error)"])
            report.unresolved["restore journal"] = "\(error)"
            return
        }
        for var entry in entries {
            if let problem = entry.problem {
                report.unresolved[entry.jobID] = problem
                continue
            }
            let logger = self.logger.with(["vm.name": "\(entry.vmName)", "job.id": "\(entry.jobID)"])
            await recordInterruptedRestore(entry)
            if entry.mode == .inPlace {
                entry.problem =
                    "vmbackupd stopped while it restored backup \(entry.backupID) over VM \(entry.vmName)'s own disks "
                    + "(\(entry.disks.map(\.target).joined(separator: ", "))): they may be half-written, and the VM "
                    + "was not started; restore it again"
                try? await catalog.journalRestore(entry)
                report.unresolved[entry.jobID] = entry.problem
                logger.critical("an interrupted restore in place left the VM's disks half-written")
                continue
            }
            await removeWhatARestoreMade(entry, logger: logger)
            try? await catalog.closeRestoreJournal(jobID: entry.jobID)
            report.recovered.append(entry.jobID)
            logger.notice("interrupted restore recovered: what it made is removed")
        }
    }

    /// Removes what drills a crash cut short left: their temporary domains, overlays and folders.
    private func removeLeftDrills() async {
        let copies = (try? await catalog.instantCopies()) ?? []
        for copy in copies where copy.isDrill {
            _ = try? await discardInstantCopy(copy.domainUUID)
            logger.notice("removed the domain of an interrupted drill", metadata: ["vm.name": "\(copy.domainName)"])
        }
        let folder = settings.stateDirectory + "/drills"
        _ = try? await executor.run { try FileManager.default.removeItem(atPath: folder) }
    }

    /// The open restore entries that name a problem, for `GET /v1/status`.
    func unresolvedRestores() async -> [String] {
        let entries = (try? await catalog.restoreJournalEntries()) ?? []
        return entries.compactMap { entry in entry.problem.map { "VM \(entry.vmName), task \(entry.jobID): \($0)" } }
    }

    /// Throws `precondition_failed` when a restore in place left the VM's disks half-written.
    func checkNoHalfWrittenRestore(vmName: String, vmUUID: String) async throws {
        let entries = (try? await catalog.restoreJournalEntries()) ?? []
        if let open = entries.first(where: { $0.vmUUID == vmUUID && $0.mode == .inPlace && $0.problem != nil }) {
            throw EngineError(
                .preconditionFailed,
                "VM \(vmName): \(open.problem ?? "a restore in place did not finish") (task \(open.jobID))",
                step: .plan, vm: vmName)
        }
    }

    /// Closes the entries of earlier restores in place of `vmUUID`: a restore that succeeded wrote
    /// every disk they may have left half-written... when it wrote the same disks.
    func closeHalfWrittenRestores(vmUUID: String, restoredDisks: Set<String>, except jobID: String) async {
        let entries = (try? await catalog.restoreJournalEntries()) ?? []
        for entry in entries
        where entry.vmUUID == vmUUID && entry.mode == .inPlace && entry.jobID != jobID
            && Set(entry.disks.map(\.target)).isSubset(of: restoredDisks)
        {
            try? await catalog.closeRestoreJournal(jobID: entry.jobID)
        }
    }

    private func removeWhatARestoreMade(_ entry: RestoreJournalEntry, logger: Logger) async {
        if let uuid = entry.definedDomainUUID {
            do {
                try await removeDomain(uuid: uuid)
            } catch {
                logger.warning(
                    "cannot remove the domain an interrupted restore defined", metadata: ["error": "\(error)"])
            }
            try? await catalog.removeInstantCopy(domainUUID: uuid)
        }
        await removeFiles(entry.disks.filter(\.created).map(\.path) + entry.files)
    }

    /// Keeps the interrupted restore's task, failed, so `vmbackup task ID` says what became of it.
    private func recordInterruptedRestore(_ entry: RestoreJournalEntry) async {
        guard (try? await catalog.task(id: entry.jobID)) == nil else { return }
        let outcome =
            entry.mode == .inPlace
            ? "its disks may be half-written; the VM was not started"
            : "the next start removed what it had made"
        let task = CatalogTask(
            id: entry.jobID, kind: TaskKind(rawValue: RestoreJob.kind), vmName: entry.vmName, vmUUID: entry.vmUUID,
            state: .failed, created: entry.started, started: entry.started, finished: Date(),
            error: APIErrorInfo(
                .interrupted,
                "vmbackupd stopped during the restore of backup \(entry.backupID) of VM \(entry.vmName); \(outcome)"))
        try? await catalog.saveTask(task)
    }
}
