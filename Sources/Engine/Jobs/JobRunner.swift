import APIModel
import Catalog
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs every job, whatever its kind, as a child of one task group: each waits for its slots
/// (the host's, its target's, its policy's), runs, has its journal entry closed (or kept with
/// what it could not undo), and is recorded in the task registry and the catalog. On graceful
/// shutdown it stops taking jobs, cancels the running and queued ones and returns only once each
/// has cleaned up (thawed its guest, merged its snapshots).
public final class JobRunner: Service, Sendable {
    /// A planned job waiting for the runner to take it.
    struct Submission: Sendable {
        var taskID: String
        var vmName: String
        var limits: [SlotLimit]
        var job: any Job
        var logger: Logger
    }

    let registry: TaskRegistry
    let slots = JobSlots()
    let catalog: BackupCatalog
    private let logger: Logger
    private let submissions: AsyncStream<Submission>
    private let submit: AsyncStream<Submission>.Continuation
    /// Told of each job that ended, with the step a failed one stopped at (notifications).
    private let endObserver = Mutex<(@Sendable (TaskInfo, String?) async -> Void)?>(nil)

    init(registry: TaskRegistry, catalog: BackupCatalog, logger: Logger) {
        self.registry = registry
        self.catalog = catalog
        self.logger = logger
        (submissions, submit) = AsyncStream.makeStream(of: Submission.self)
    }

    /// Calls `observer` after each job ends (its task recorded), in a task of its own: what it
    /// does cannot delay or change the job.
    func observeEnds(_ observer: @escaping @Sendable (TaskInfo, String?) async -> Void) {
        endObserver.withLock { $0 = observer }
    }

    /// Hands a planned job to the runner; it runs once `run()` takes it and its slots are free.
    /// A job submitted after shutdown began is recorded as cancelled.
    func enqueue(_ submission: Submission) async {
        if case .terminated = submit.yield(submission) {
            await record(submission, JobOutcome(.cancelled), duration: .zero)
        }
    }

    public func run() async throws {
        let submissions = self.submissions
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await submission in submissions {
                    group.addTask { await self.execute(submission) }
                }
            }
        } onGracefulShutdown: {
            self.submit.finish()
            Task { await self.registry.cancelAll() }
        }
        // Jobs submitted while the stream was closing never started: record them.
        for await leftover in submissions {
            await record(leftover, JobOutcome(.cancelled), duration: .zero)
        }
    }

    /// Runs one job in a task of its own that the registry can cancel, and waits for it, so the
    /// group (and so shutdown) waits for its cleanup too.
    private func execute(_ submission: Submission) async {
        let job = Task { await self.queueAndRun(submission) }
        await registry.attach(job, to: submission.taskID)
        await withTaskCancellationHandler {
            await job.value
        } onCancel: {
            job.cancel()
        }
    }

    private func queueAndRun(_ submission: Submission) async {
        // A cancel that came while the job was planned, or while it waited for its slots, ends
        // it before it starts: the job's own checks are not relied on.
        if await registry.isCancelRequested(submission.taskID) {
            submission.logger.notice("job cancelled before it was queued")
            let reason = await registry.stopReason(submission.taskID)
            await record(submission, JobOutcome(reason.map { .failed($0) } ?? .cancelled), duration: .zero)
            return
        }
        do {
            try await slots.acquire(submission.limits)
        } catch {
            submission.logger.notice("job cancelled while queued")
            await record(submission, JobOutcome(.cancelled), duration: .zero)
            return
        }
        if Task.isCancelled {
            await slots.release(submission.limits)
            submission.logger.notice("job cancelled while queued")
            await record(submission, JobOutcome(.cancelled), duration: .zero)
            return
        }
        await registry.update(submission.taskID) {
            $0.state = .running
            $0.started = Date()
        }
        let started = ContinuousClock.now
        let progress = await registry.progress(of: submission.taskID) ?? ProgressCounter()
        let context = JobContext(
            taskID: submission.taskID, progress: progress, logger: submission.logger, registry: registry)
        var outcome = await submission.job.run(context)
        // A job stopped because the world changed under it (its VM was undefined) ends failed with
        // that reason, whatever its interrupted step made of the cancellation.
        if let reason = await registry.stopReason(submission.taskID) {
            if case .succeeded = outcome.state {} else { outcome.state = .failed(reason) }
        }
        await closeJournal(jobID: submission.taskID, leftBehind: outcome.leftBehind, logger: submission.logger)
        await slots.release(submission.limits)
        await record(submission, outcome, duration: ContinuousClock.now - started)
    }

    /// Finishes the task in the registry, keeps it in the catalog and counts it.
    private func record(_ submission: Submission, _ outcome: JobOutcome, duration: Duration) async {
        let kind = type(of: submission.job).kind
        submission.job.count(outcome, vmName: submission.vmName, duration: duration)
        let failedStep: JobStep? = if case .failed(let error) = outcome.state { error.step } else { nil }
        await registry.finish(submission.taskID, wakingWaiters: false, failedStep: failedStep) { info in
            info.step = nil
            info.drill = outcome.drill
            info.freezeWindowSeconds = outcome.freezeWindow.map {
                Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
            }
            // A failed job may have a backup to show too: a verify, the backup it found wrong.
            info.result = outcome.backup
            if let backup = outcome.backup {
                info.resultURI = "/v1/vms/\(backup.vmUUID)/backups/\(backup.id)"
            }
            switch outcome.state {
            case .succeeded:
                info.state = .succeeded
                info.restored = outcome.restored
            case .failed(let error):
                info.state = .failed
                info.error = error.apiError
            case .cancelled:
                info.state = .cancelled
                info.error = APIErrorInfo(.cancelled, "the \(kind) of VM \(submission.vmName) was cancelled")
            }
        }
        let finished = await registry.info(submission.taskID)
        if let finished {
            // Kept even when the job was cancelled: the write must not see the job's cancellation.
            let catalog = self.catalog
            let logger = submission.logger
            await Task.detached {
                do {
                    try await catalog.saveTask(CatalogTask(finished))
                } catch {
                    logger.warning("the task is not kept in the catalog", metadata: ["error": "\(error)"])
                }
            }.value
        }
        await registry.wakeFinishWaiters(submission.taskID)
        if let finished, let observer = endObserver.withLock({ $0 }) {
            let step: String? =
                if case .failed(let error) = outcome.state { error.step?.rawValue } else { nil }
            Task.detached { await observer(finished, step) }
        }
        switch outcome.state {
        case .succeeded:
            submission.logger.info("\(kind) succeeded", metadata: ["backup.id": "\(outcome.backup?.id ?? "")"])
        case .failed(let error):
            submission.logger.error(
                "\(kind) failed",
                metadata: [
                    "error": "\(error.message)", "error.code": "\(error.code.rawValue)",
                    "job.step": "\(error.step?.rawValue ?? "")",
                ])
        case .cancelled:
            submission.logger.notice("\(kind) cancelled")
        }
    }
}
