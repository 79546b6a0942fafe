import APIModel
import Catalog
import Foundation
import Logging

/// The verify kind of job: every stored disk and file of one published backup read back and
/// checked against its manifest (``BackupVerifier``), and the result recorded in the catalog as
/// the backup's last verification. A backup that fails is marked: `list` and `show` say so, and
/// retention keeps it until it is deleted by hand.
///
/// The task succeeds when the backup is as its manifest says, and fails with `verify_failed`
/// naming the disk, the offset and what is wrong when it is not; either way its result is the
/// backup with its verification. A cancelled verify records nothing.
struct VerifyJob: Job {
    static let kind = "verify"

    let plan: VerifyPlan
    let effects: any VerifyEffects
    let catalog: BackupCatalog
    let logger: Logger
    /// When a verification ends; the clock of tests.
    var now: @Sendable () -> Date = { Date() }

    func run(_ job: JobContext) async -> JobOutcome {
        let verifier = BackupVerifier(
            plan: plan, effects: effects, progress: job.progress, onStep: { await job.enter($0) })
        let problem: VerificationProblem?
        do {
            problem = try await verifier.verify()
        } catch {
            return JobOutcome(.cancelled, target: plan.targetName)
        }
        let verification =
            problem.map { Verification.failed($0, at: now(), task: job.taskID) }
            ?? Verification.passed(at: now(), task: job.taskID)
        await job.enter("recording")
        let backup: BackupSummary
        do {
            backup = try await record(verification)
        } catch {
            return JobOutcome(.failed(error), target: plan.targetName)
        }
        guard let problem else {
            logger.info("backup verified", metadata: ["backup.id": "\(plan.backupID)"])
            return JobOutcome(.succeeded, backup: backup, target: plan.targetName)
        }
        logger.error(
            "backup failed verification",
            metadata: [
                "backup.id": "\(plan.backupID)", "disk.target": "\(problem.disk ?? "-")",
                "problem.offset": "\(problem.offset.map(String.init) ?? "-")", "problem": "\(problem.message)",
            ])
        let error = EngineError(
            .verifyFailed, "backup \(plan.backupID) of VM \(plan.vmName) failed verification: \(problem)",
            step: .verify, vm: plan.vmName, disk: problem.disk)
        return JobOutcome(.failed(error), backup: backup, target: plan.targetName)
    }

    /// Keeps the verification as the backup's last, even when the job is being cancelled right
    /// now: the check is done. A backup deleted while it was verified has nothing to keep it.
    private func record(_ verification: Verification) async throws(EngineError) -> BackupSummary {
        let catalog = self.catalog
        let (vmUUID, id) = (plan.vmUUID, plan.backupID)
        let written = await Task.detached { () async -> Result<CatalogBackup, any Error> in
            do {
                return .success(try await catalog.recordVerification(verification, vmUUID: vmUUID, id: id))
            } catch {
                return .failure(error)
            }
        }.value
        do {
            return try written.get().summary()
        } catch let error as CatalogError where error.code == .notFound {
            throw EngineError(
                .backupNotFound, "backup \(id) of VM \(plan.vmName) was deleted while it was verified", step: .verify,
                vm: plan.vmName, cause: error)
        } catch let error as CatalogError {
            throw EngineError(catalog: error, vm: plan.vmName)
        } catch {
            throw EngineError(.internal, "cannot record the verification: \(error)", step: .verify, vm: plan.vmName)
        }
    }

    func count(_ outcome: JobOutcome, vmName: String, duration: Duration) {
        VerifyMetrics.shared.record(outcome)
    }
}
