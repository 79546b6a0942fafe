import APIModel
import Catalog
import Foundation

/// Tasks as the API shows them: those the registry holds (running, queued, just finished) and
/// those the catalog keeps from earlier.
extension BackupEngine {
    public func task(id: String) async throws -> TaskInfo {
        if let info = await registry.info(id) { return info }
        // A task of an earlier run of the daemon, kept in the catalog.
        if let stored = try? await catalog.task(id: id) {
            var result: BackupSummary?
            if let backupID = stored.resultBackupID, let vmUUID = stored.vmUUID {
                result = try? await catalog.backup(vmUUID: vmUUID, id: backupID)?.summary()
            }
            return stored.info(result: result)
        }
        throw EngineError(.taskNotFound, "no task \(id)")
    }

    /// The tasks of this run the registry still holds, and the most recent finished tasks the
    /// catalog keeps (those of earlier runs too), oldest first.
    public func tasks() async -> [TaskInfo] {
        let live = await registry.all()
        let ids = Set(live.map(\.id))
        let stored = ((try? await catalog.tasks(limit: Self.listedStoredTasks)) ?? [])
            .filter { !ids.contains($0.id) }.map { $0.info() }
        return (stored + live).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// How many finished tasks from the catalog `tasks()` lists.
    static let listedStoredTasks = 200
    /// How long a finished task stays in memory; after that it is read from the catalog.
    static let finishedTasksInMemory: TimeInterval = 3600

    /// Forgets finished tasks: from memory an hour after they finished, from the catalog after
    /// `taskHistoryDays`. The daemon calls it now and then.
    public func forgetOldTasks(now: Date = Date()) async {
        await registry.forget(finishedBefore: now.addingTimeInterval(-Self.finishedTasksInMemory))
        let cutoff = now.addingTimeInterval(-Double(settings.taskHistoryDays) * 86_400)
        do {
            let removed = try await catalog.removeTasks(finishedBefore: cutoff)
            if removed > 0 {
                logger.info("finished tasks forgotten", metadata: ["tasks": "\(removed)", "before": "\(cutoff)"])
            }
        } catch {
            logger.warning("cannot remove old tasks from the catalog", metadata: ["error": "\(error)"])
        }
    }

    /// Cancels a task: a queued or running job at once, one still being planned as soon as it is
    /// queued. A finished task is returned unchanged.
    public func cancelTask(id: String) async throws -> TaskInfo {
        let info = try await task(id: id)
        _ = await registry.cancel(id)
        return await registry.info(id) ?? info
    }

    public func status() async -> DaemonStatus {
        DaemonStatus(
            version: Self.version, started: started, libvirtURI: settings.libvirtURI,
            targetDirectory: settings.targets.first?.directory ?? "", runningTasks: await registry.count(in: .running),
            queuedTasks: await registry.count(in: .queued),
            active: await registry.all().filter { $0.state == .running || $0.state == .queued },
            targets: settings.targets, unresolvedRecoveries: await unresolvedRecoveries(),
            pendingThaws: (try? await catalog.pendingThaws()) ?? [])
    }
}
