import APIModel
import Catalog
import Foundation
import Logging
import Streaming

/// The drill kind of job: restores a backup with `--instant` as a temporary domain without
/// network interfaces, boots it, waits for its guest agent (`guest-ping`, then
/// `guest-get-fsinfo`), reads the backup back whole against its chunk indexes (kept as its last
/// verification), records what it found, and removes everything it made.
struct DrillJob: Job {
    static let kind = "drill"

    let plan: RestorePlan
    let engine: BackupEngine
    let timeout: Duration
    let logger: Logger
    /// The folder the drill's overlays and NVRAM go into; removed at the end.
    let folder: String

    func run(_ context: JobContext) async -> JobOutcome {
        let started = ContinuousClock.now
        let effects = RestoreEffects(plan: plan, engine: engine, context: context, logger: logger)
        var result = DrillResult(
            vm: plan.vmName, vmUUID: plan.vmUUID, backupID: plan.backupID, at: Date(), ok: false)
        var cancelled = false
        do {
            await context.enter("checking the stored images")
            for disk in plan.disks {
                guard let image = disk.backingFile else { continue }
                let file = (image as NSString).lastPathComponent
                if let problem = try await ImageCheck.qcow2(at: image, disk: disk.target).problem(file: file) {
                    throw EngineError(
                        .drillFailed, "disk \(disk.target) of backup \(disk.backupID): \(problem)", step: .restore,
                        vm: plan.vmName, disk: disk.target)
                }
            }
            let restored = try await effects.run()
            await context.enter("waiting for the guest agent")
            let domain = try await engine.lookup(restored.domainUUID ?? "")
            let probe = GuestAgentProbe(domain: domain, executor: engine.executor, timeout: timeout)
            if let mountPoints = try await probe.waitForAgent() {
                result.secondsToAgent = (ContinuousClock.now - started) / .seconds(1)
                result.filesystems = mountPoints
                // The boot read only what the guest touched: the rest is read back too.
                if let problem = try await engine.readBack(
                    vmUUID: plan.vmUUID, id: plan.backupID, context: context, logger: logger)
                {
                    result.problem = "the guest booted, but the backup failed its read-back: \(problem)"
                } else {
                    result.ok = true
                }
            } else {
                result.problem =
                    "the restored guest's agent did not answer within \(timeout) (or the guest stopped); "
                    + "the backup may not boot"
            }
        } catch {
            cancelled = Task.isCancelled || (error as? StreamError)?.isCancelled == true
            await effects.undo(after: error, cancelled: cancelled)
            result.problem = "\(EngineError(classifying: error, step: await effects.step, vm: plan.vmName).message)"
        }
        await context.enter("removing the drill's domain")
        await removeEverything()
        result.at = Date()
        await record(result)
        if cancelled { return JobOutcome(.cancelled, drill: result) }
        guard result.ok else {
            return JobOutcome(
                .failed(
                    EngineError(
                        .drillFailed,
                        "drill of backup \(plan.backupID) of VM \(plan.vmName) failed: "
                            + (result.problem ?? "no agent"), step: .define, vm: plan.vmName)),
                drill: result)
        }
        logger.info(
            "drill passed",
            metadata: [
                "backup.id": "\(plan.backupID)", "drill.seconds_to_agent": "\(result.secondsToAgent ?? 0)",
                "drill.filesystems": "\(result.filesystems.joined(separator: ","))",
            ])
        return JobOutcome(.succeeded, drill: result)
    }

    /// Removes the temporary domain, its overlays and NVRAM, and the drill's folder, whatever
    /// happened before; never throws.
    private func removeEverything() async {
        let engine = self.engine
        let folder = self.folder
        let name = plan.newDomainName ?? ""
        await Task.detached {
            // The copy is recorded once defined; before that, only files in the folder exist.
            _ = try? await engine.discardInstantCopy(name)
            await engine.removeFiles([folder])
        }.value
    }

    private func record(_ result: DrillResult) async {
        DrillMetrics.shared.record(result)
        let catalog = engine.catalog
        let logger = self.logger
        await Task.detached {
            do {
                try await catalog.recordDrill(result)
            } catch {
                logger.error("cannot record the drill's result", metadata: ["error": "\(error)"])
            }
        }.value
    }
}
