import APIModel
import Catalog
import Foundation
import Libvirt
import Logging
import Snapshots
import Targets

/// What ``BackupEngine/recover()`` did with the journal's entries.
public struct RecoveryReport: Sendable, Equatable {
    /// The jobs whose every change was undone; their entries are closed.
    public var recovered: [String] = []
    /// The jobs that still hold something (a frozen guest, a snapshot, a partial folder), with
    /// why; their entries stay open and the next start tries again.
    public var unresolved: [String: String] = [:]
}

/// Crash recovery: a job the daemon did not see to its end (it crashed, was killed, or the host
/// lost power) left an open journal entry; at start, before anything else runs, each is undone:
/// the guest is thawed (and resumed if a reflink copy paused it), the snapshots the job's methods
/// made are merged or deleted, and the partial backup folder is removed.
extension BackupEngine {
    /// Recovers every open journal entry, oldest first. Call it at start, before backups run.
    @discardableResult
    public func recover() async -> RecoveryReport {
        var report = RecoveryReport()
        await thawWatch.resumeRecorded()
        let entries: [JournalEntry]
        do {
            entries = try await catalog.journalEntries()
        } catch {
            logger.critical(
                "cannot read the journal; interrupted backups may have left guests frozen or snapshots behind",
                metadata: ["error": "\(error)"])
            report.unresolved["journal"] = "\(error)"
            return report
        }
        for entry in entries {
            if let problem = await settle(entry) {
                report.unresolved[entry.jobID] = problem
            } else {
                report.recovered.append(entry.jobID)
            }
        }
        await recoverRestores(into: &report)
        return report
    }

    /// Before a new backup of a VM: recovers what earlier jobs of that VM left (their entries are
    /// open only if the daemon died under them, or they could not undo everything). Throws
    /// `precondition_failed`, changing nothing more, when something is still left.
    func settleInterruptedBackups(vmName: String, vmUUID: String) async throws {
        try await settling.withLock(vmUUID) {
            try await settleOpenEntries(vmName: vmName, vmUUID: vmUUID)
        }
    }

    private func settleOpenEntries(vmName: String, vmUUID: String) async throws {
        let open: [JournalEntry]
        do {
            open = try await catalog.journalEntries().filter { $0.vmUUID == vmUUID }
        } catch {
            throw EngineError(.internal, "cannot read the journal: \(error)")
        }
        for entry in open {
            if let problem = await settle(entry) {
                throw EngineError(
                    .preconditionFailed,
                    "VM \(vmName): an earlier backup (task \(entry.jobID)) left something that could not be undone: "
                        + "\(problem); fix that, then back up again")
            }
        }
    }

    /// Recovers one entry and closes it; returns what is still left, keeping the entry open then.
    func settle(_ entry: JournalEntry) async -> String? {
        let logger = self.logger.with([
            "vm.name": "\(entry.vmName)", "job.id": "\(entry.jobID)", "backup.id": "\(entry.backupID)",
            "journal.phase": "\(entry.phase.rawValue)",
        ])
        logger.notice("recovering an interrupted backup")
        // What the interrupted job changed on the VM's side (a checkpoint, a bitmap) is not known
        // for sure: the VM's next backup starts a new chain.
        try? await catalog.recordChainBreak(
            vmUUID: entry.vmUUID, reason: "backup \(entry.backupID) was interrupted before it was published")
        let problems = await recover(entry, logger: logger)
        await recordInterruptedTask(entry)
        guard !problems.isEmpty else {
            do {
                try await catalog.closeJournal(jobID: entry.jobID)
            } catch {
                logger.error("recovered, but the journal entry could not be closed", metadata: ["error": "\(error)"])
            }
            logger.notice("interrupted backup recovered: guest thawed, snapshots merged or deleted, nothing published")
            return nil
        }
        let problem = problems.joined(separator: "; ")
        var kept = entry
        kept.problem = problem
        try? await catalog.journal(kept)
        logger.critical(
            "interrupted backup not fully recovered; it is tried again before the VM's next backup and at the next start",
            metadata: ["problems": "\(problem)"])
        return problem
    }

    /// The open journal entries, for `GET /v1/status`: what interrupted backups still hold.
    public func unresolvedRecoveries() async -> [String] {
        let entries = (try? await catalog.journalEntries()) ?? []
        return entries.compactMap { entry in
            entry.problem.map { "VM \(entry.vmName), task \(entry.jobID): \($0)" }
        } + (await unresolvedRestores())
    }

    /// Undoes what `entry`'s job may have left; returns what could not be undone.
    private func recover(_ entry: JournalEntry, logger: Logger) async -> [String] {
        await EntryRecovery.run(entry, with: LiveRecoveryEffects(engine: self, entry: entry, logger: logger))
    }

    /// Thaws a guest the job may have frozen, and resumes one a reflink copy may have paused.
    /// A job that never froze (no agent, `quiesce: off`) is not thawed; a guest whose agent is
    /// not there cannot have been frozen by it, so it counts as thawed.
    func thawAndResume(
        _ domain: Domain, entry: JournalEntry, plan: RecoveryPlan, logger: Logger
    ) async -> [String] {
        let pausedByJob = plan.resume
        guard plan.thaw || pausedByJob else { return [] }
        let timeout = settings.agentTimeoutSeconds
        do {
            let state = try await executor.run { try domain.state() }
            guard state.isActive else { return [] }
            if pausedByJob, state == .paused {
                try await executor.run { try domain.resume() }
                logger.notice("resumed the domain a reflink copy had paused")
            }
        } catch {
            let what = pausedByJob ? "paused by a reflink copy (virsh resume)" : "frozen (virsh domfsthaw)"
            return ["VM \(entry.vmName) may still be \(what): \(error)"]
        }
        guard plan.thaw else { return [] }
        let guest = GuestFilesystems(
            domain: domain, vmName: entry.vmName, executor: executor, agentTimeoutSeconds: min(timeout, 5))
        do {
            switch try await guest.thawAndConfirm(attempts: 1, logger: logger) {
            case .thawed(let count):
                logger.notice(
                    "thawed the guest's filesystems; its agent reports them thawed", metadata: ["fs.count": "\(count)"])
            case .noAgent(let reason):
                logger.notice("the domain has no guest agent, so nothing was frozen", metadata: ["reason": "\(reason)"])
            }
            return []
        } catch {
            // The agent does not answer: the background thaw takes the guest over, so the rest
            // of the recovery goes on and the VM's backups are not held up.
            let thaw = PendingThaw(
                vmName: entry.vmName, vmUUID: entry.vmUUID, since: entry.started,
                reason: "backup \(entry.backupID) was interrupted with the guest possibly frozen; the thaw went "
                    + "unanswered: \(error)")
            do {
                try await thawWatch.takeOver(thaw)
                return []
            } catch {
                return [
                    "VM \(entry.vmName) may still be frozen: thaw failed (\(thaw.reason)); it cannot be recorded: \(error)"
                ]
            }
        }
    }

    /// Merges or deletes every snapshot the job's methods find of it.
    func releaseLeftovers(of entry: JournalEntry, domain: Domain, logger: Logger) async -> [String] {
        let environment = snapshotEnvironment(for: domain, vmName: entry.vmName, logger: logger)
        let disks = entry.disks.map(SelectedDisk.init)
        let retry = ConnectionLossRetry(domain: domain, executor: executor, logger: logger)
        var problems: [String] = []
        for (name, group) in Dictionary(grouping: disks, by: \.method).sorted(by: { $0.key.rawValue < $1.key.rawValue })
        {
            let method = SnapshotMethods.make(name, environment)
            do {
                for snapshot in try await method.leftovers(of: group, backupID: entry.backupID) {
                    logger.notice(
                        "releasing a snapshot left by the interrupted backup",
                        metadata: ["disk.target": "\(snapshot.disk.target)", "snapshot": "\(snapshot.artifact ?? "")"])
                    do {
                        try await retry.run("releasing a snapshot left by an interrupted backup") {
                            try await method.release(snapshot)
                        }
                    } catch {
                        problems.append("\(error)")
                    }
                }
            } catch {
                problems.append("\(error)")
            }
        }
        // The checkpoint the job made before its snapshots: its backup was never published.
        let checkpoint = CheckpointName(backupID: entry.backupID)
        if let names = try? await executor.run({ try domain.checkpoints().map(\.name) }),
            names.contains(checkpoint.rawValue)
        {
            await Self.deleteCheckpoints([checkpoint], of: domain, executor: executor, logger: logger)
        }
        return problems
    }

    /// Removes the job's `.partial-<id>` folder, on its target as configured now or, if the
    /// target is gone from the config, where it was.
    func removePartial(of entry: JournalEntry, logger: Logger) async -> String? {
        guard let backupID = BackupID(validating: entry.backupID) else {
            return "the journal names backup id '\(entry.backupID)', which is not one"
        }
        do {
            let target =
                try targets[entry.target]
                ?? DirectoryTarget(root: entry.targetDirectory, owner: identity, executor: executor)
            switch try await target.removePartial(vmUUID: entry.vmUUID, backupID: backupID) {
            case .removed:
                logger.notice("removed the partial backup folder", metadata: ["target": "\(entry.target)"])
            case .absent:
                break
            case .leftAlone(let owner):
                logger.notice(
                    "the partial backup folder is another daemon's work; left alone",
                    metadata: ["target": "\(entry.target)", "owner": "\(owner)"])
            }
            return nil
        } catch {
            return "the partial folder of backup \(entry.backupID) could not be removed: \(error)"
        }
    }

    /// Keeps the interrupted job's task, failed, so `vmbackup task ID` says what became of it.
    private func recordInterruptedTask(_ entry: JournalEntry) async {
        guard (try? await catalog.task(id: entry.jobID)) == nil else { return }
        let task = CatalogTask(
            id: entry.jobID, kind: .backup, vmName: entry.vmName, vmUUID: entry.vmUUID, state: .failed,
            created: entry.started, started: entry.started, finished: Date(),
            error: APIErrorInfo(
                .interrupted,
                "vmbackupd stopped during the backup of VM \(entry.vmName) (at \(entry.phase.rawValue)); "
                    + "the next start undid its changes and published nothing"))
        try? await catalog.saveTask(task)
    }
}
