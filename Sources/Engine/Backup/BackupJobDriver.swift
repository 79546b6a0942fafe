import APIModel
import Logging

/// Drives ``BackupJobStateMachine`` against real or fake ``BackupEffects``.
public struct BackupJobRunner: Sendable {
    public struct Result: Sendable {
        public var outcome: BackupJobStateMachine.Outcome
        public var backup: BackupSummary?
    }

    private let effects: any BackupEffects
    private let setup: BackupJobStateMachine.Setup
    private let logger: Logger
    private let onStep: @Sendable (String) -> Void

    public init(
        effects: any BackupEffects, setup: BackupJobStateMachine.Setup, logger: Logger,
        onStep: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.effects = effects
        self.setup = setup
        self.logger = logger
        self.onStep = onStep
    }

    /// Runs the job to its end. Cancelling the calling task turns the next forward step into
    /// the cleanup path; thaw and release are shielded from cancellation.
    public func run() async -> Result {
        var machine = BackupJobStateMachine(setup)
        var event = BackupJobStateMachine.Event.started
        var backup: BackupSummary?
        while true {
            if Task.isCancelled { machine.cancel() }
            let action = machine.next(after: event)
            logger.debug("job step", metadata: ["job.action": "\(action)"])
            switch action {
            case .prepareTarget:
                onStep("preparing")
                event = await attempt("prepare the target", .targetPrepared, BackupJobStateMachine.Event.targetFailed) {
                    try await effects.prepareTarget()
                }
            case .freeze:
                onStep("freezing")
                event = await attempt("freeze", .frozen, BackupJobStateMachine.Event.freezeFailed) {
                    try await effects.freeze()
                }
            case .snapshot:
                onStep("snapshotting")
                event = await attempt("snapshot", .snapshotted, BackupJobStateMachine.Event.snapshotFailed) {
                    try await effects.snapshot()
                }
            case .thaw:
                onStep("thawing")
                event = await shielded("thaw", .thawed, BackupJobStateMachine.Event.thawFailed) {
                    try await effects.thaw()
                }
            case .stream:
                onStep("streaming")
                event = await attempt("stream", .streamed, BackupJobStateMachine.Event.streamFailed) {
                    try await effects.stream()
                }
            case .release:
                onStep("merging")
                event = await shielded("merge", .released, BackupJobStateMachine.Event.releaseFailed) {
                    try await effects.release()
                }
            case .publish(let consistency):
                onStep("publishing")
                do {
                    backup = try await effects.publish(consistency: consistency)
                    event = .published
                } catch {
                    event = .publishFailed(APIErrorInfo(describing: error, step: "publish"))
                }
            case .discard:
                onStep("discarding")
                let effects = self.effects
                await Task.detached { await effects.discard() }.value
                event = .discarded
            case .finish(let outcome):
                if case .succeeded = outcome { return Result(outcome: outcome, backup: backup) }
                return Result(outcome: outcome, backup: nil)
            }
        }
    }

    private func attempt(
        _ step: String, _ success: BackupJobStateMachine.Event,
        _ failure: (APIErrorInfo) -> BackupJobStateMachine.Event, _ body: () async throws -> Void
    ) async -> BackupJobStateMachine.Event {
        do {
            try await body()
            return success
        } catch {
            let info = APIErrorInfo(describing: error, step: step)
            logger.warning("job step failed", metadata: ["job.step": "\(step)", "error": "\(info.message)"])
            return failure(info)
        }
    }

    /// Runs `body` in a detached task, so that cancelling the job cannot interrupt it.
    private func shielded(
        _ step: String, _ success: BackupJobStateMachine.Event,
        _ failure: @escaping @Sendable (APIErrorInfo) -> BackupJobStateMachine.Event,
        _ body: @escaping @Sendable () async throws -> Void
    ) async -> BackupJobStateMachine.Event {
        let logger = self.logger
        return await Task.detached {
            do {
                try await body()
                return success
            } catch {
                let info = APIErrorInfo(describing: error, step: step)
                logger.error("job step failed", metadata: ["job.step": "\(step)", "error": "\(info.message)"])
                return failure(info)
            }
        }.value
    }
}
