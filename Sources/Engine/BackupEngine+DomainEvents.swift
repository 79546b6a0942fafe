import APIModel
import Catalog
import Libvirt
import Logging

/// What the daemon does when a domain's life changes (``DomainEventService`` reports it): a
/// domain that starts while a finished backup's snapshots remain gets them merged back at once,
/// and the backups of a domain that is undefined are stopped.
extension BackupEngine {
    public func handle(_ event: DomainLifecycleEvent) async {
        switch event.kind {
        case .started:
            await settleLeftovers(vmUUID: event.uuid, vmName: event.name)
        case .undefined:
            await stopBackups(vmUUID: event.uuid, vmName: event.name)
        default:
            break
        }
    }

    /// Settles the open journal entries of every VM whose domain runs, as if each had just
    /// started: events are not delivered while the connection is down, so this runs whenever the
    /// connection is (re)made.
    public func settleLeftoversOfRunningDomains() async {
        let entries = (try? await catalog.journalEntries()) ?? []
        for uuid in Set(entries.map(\.vmUUID)).sorted() {
            guard let domain = try? await lookup(uuid),
                let state = try? await executor.run({ try domain.state() }), state.isActive
            else { continue }
            await settleLeftovers(vmUUID: uuid, vmName: domain.name)
        }
    }

    /// Recovers what finished backups of VM `vmUUID` left (an overlay it started on, a snapshot),
    /// as a backup would before it starts. A backup that still runs is waited for: it releases its
    /// own snapshots, and its entry is settled only if it could not.
    func settleLeftovers(vmUUID: String, vmName: String) async {
        let open = ((try? await catalog.journalEntries()) ?? []).filter { $0.vmUUID == vmUUID }
        guard !open.isEmpty else { return }
        for entry in open {
            if let task = await registry.info(entry.jobID), !task.state.isFinished {
                _ = await registry.finished(entry.jobID)
            }
        }
        await settling.withLock(vmUUID) {
            // Read again under the lock: a backup that started meanwhile settled them, and its own
            // entry, which its running job will close, is not touched.
            let remaining = ((try? await catalog.journalEntries()) ?? []).filter { $0.vmUUID == vmUUID }
            for entry in remaining {
                if let task = await registry.info(entry.jobID), !task.state.isFinished { continue }
                logger.notice(
                    "the domain runs while a finished backup's snapshots remain; merging them back now",
                    metadata: ["vm.name": "\(vmName)", "job.id": "\(entry.jobID)"])
                _ = await settle(entry)
            }
        }
    }

    /// Stops every backup of VM `vmUUID`, which was undefined: each ends failed with
    /// `vm_not_found` after its cleanup (thaw, merge), publishing nothing.
    func stopBackups(vmUUID: String, vmName: String) async {
        for id in await registry.unfinished(vmUUID: vmUUID, kind: BackupJob.kind) {
            let reason = EngineError(
                .vmNotFound,
                "VM \(vmName) was undefined during the backup; the backup was stopped, its snapshots were "
                    + "released and nothing was published",
                vm: vmName)
            if await registry.stop(id, because: reason) {
                logger.warning(
                    "the domain was undefined; stopping its backup",
                    metadata: ["vm.name": "\(vmName)", "task.id": "\(id)"])
            }
        }
    }
}
