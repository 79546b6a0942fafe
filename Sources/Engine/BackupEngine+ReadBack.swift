import APIModel
import Catalog
import Foundation
import Logging

extension BackupEngine {
    /// Reads backup `id` of the VM with `vmUUID` back whole against its manifest, as a verify job
    /// does (``BackupVerifier``), for a job that runs a domain on its stored images (an instant
    /// restore, a drill): booting reads only what the guest touches, so a flipped byte elsewhere
    /// would go unseen. The result is kept as the backup's last verification, so a damaged
    /// backup is marked as a failed verify would mark it. Returns the first problem, or `nil`.
    /// Throws `CancellationError` when the job is cancelled meanwhile.
    func readBack(vmUUID: String, id: String, context: JobContext, logger: Logger) async throws -> VerificationProblem?
    {
        let backup: CatalogBackup
        do {
            guard let found = try await catalog.backup(vmUUID: vmUUID, id: id) else {
                return VerificationProblem(message: "backup \(id) is gone from the catalog")
            }
            backup = found
        } catch {
            throw EngineError(catalog: error)
        }
        let target = try target(named: backup.target)
        let effects = LiveVerifyEffects(
            target: target, streamer: streamer.logging(to: logger), vmUUID: vmUUID, backupID: id)
        let plan = VerifyPlan(
            vmName: backup.vmName, vmUUID: vmUUID, backupID: id, targetName: backup.target, manifest: backup.manifest)
        let verifier = BackupVerifier(
            plan: plan, effects: effects, progress: context.progress,
            onStep: { await context.enter("reading back backup \(id): \($0)") })
        let problem = try await verifier.verify()
        let verification =
            problem.map { Verification.failed($0, at: Date(), task: context.taskID) }
            ?? Verification.passed(at: Date(), task: context.taskID)
        let catalog = self.catalog
        // Kept even when the job is being cancelled right now: the read is done.
        await Task.detached { _ = try? await catalog.recordVerification(verification, vmUUID: vmUUID, id: id) }.value
        if let problem {
            logger.error(
                "backup failed its read-back",
                metadata: [
                    "backup.id": "\(id)", "disk.target": "\(problem.disk ?? "-")",
                    "problem.offset": "\(problem.offset.map(String.init) ?? "-")", "problem": "\(problem.message)",
                ])
        }
        return problem
    }
}
