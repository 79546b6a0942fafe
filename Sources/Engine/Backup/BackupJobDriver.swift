import APIModel
import Logging

/// Drives ``BackupJobStateMachine`` against real or fake ``BackupEffects``: asks the machine for
/// the next action, carries it out, and reports what happened as the next event.
public struct BackupJobDriver: Sendable {
    public struct Result: Sendable {
        public var outcome: BackupJobStateMachine.Outcome
        public var backup: BackupSummary?
    }

    private let effects: any BackupEffects
    private let setup: BackupJobStateMachine.Setup
    private let vmName: String?
    private let logger: Logger
    private let onStep: @Sendable (String) async -> Void

    public init(
        effects: any BackupEffects, setup: BackupJobStateMachine.Setup, vmName: String? = nil, logger: Logger,
        onStep: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.effects = effects
        self.setup = setup
        self.vmName = vmName
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
            logger.debug("job step", metadata: ["job.action": "\(action.logName)"])
            switch action {
            case .prepareTarget:
                await onStep("preparing")
                event = await attempt(.prepare, .targetPrepared, BackupJobStateMachine.Event.targetFailed) {
                    try await effects.prepareTarget()
                }
            case .freeze:
                await onStep("freezing")
                event = await attempt(.freeze, .frozen, BackupJobStateMachine.Event.freezeFailed) {
                    try await effects.freeze()
                }
            case .snapshot:
                await onStep("snapshotting")
                event = await attempt(.snapshot, .snapshotted, BackupJobStateMachine.Event.snapshotFailed) {
                    try await effects.snapshot()
                }
            case .thaw:
                await onStep("thawing")
                event = await shielded(.thaw, .thawed, BackupJobStateMachine.Event.thawFailed) {
                    try await effects.thaw()
                }
            case .stream:
                await onStep("streaming")
                event = await attempt(.stream, .streamed, BackupJobStateMachine.Event.streamFailed) {
                    try await effects.stream()
                }
            case .release:
                await onStep("merging")
                event = await shielded(.merge, .released, BackupJobStateMachine.Event.releaseFailed) {
                    try await effects.release()
                }
            case .publish(let consistency):
                await onStep("publishing")
                do {
                    backup = try await effects.publish(consistency: consistency)
                    event = .published
                } catch {
                    event = .publishFailed(EngineError(classifying: error, step: .publish, vm: vmName))
                }
            case .discard:
                await onStep("discarding")
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
        _ step: JobStep, _ success: BackupJobStateMachine.Event,
        _ failure: (EngineError) -> BackupJobStateMachine.Event, _ body: () async throws -> Void
    ) async -> BackupJobStateMachine.Event {
        do {
            try await body()
            return success
        } catch {
            // A step that fails once the job is cancelled failed because of the cancel (a
            // qemu-img it stopped, a read it cut short), whatever the error says: the job ends
            // cancelled, not failed.
            if Task.isCancelled {
                logger.notice(
                    "job step stopped by the cancel", metadata: ["job.step": "\(step.rawValue)", "error": "\(error)"])
                return failure(
                    EngineError(.cancelled, "\(step.phrase) cancelled", step: step, vm: vmName, cause: error))
            }
            let classified = EngineError(classifying: error, step: step, vm: vmName)
            logger.warning(
                "job step failed", metadata: ["job.step": "\(step.rawValue)", "error": "\(classified.message)"])
            return failure(classified)
        }
    }

    /// Runs `body` in a detached task, so that cancelling the job cannot interrupt it.
    private func shielded(
        _ step: JobStep, _ success: BackupJobStateMachine.Event,
        _ failure: @escaping @Sendable (EngineError) -> BackupJobStateMachine.Event,
        _ body: @escaping @Sendable () async throws -> Void
    ) async -> BackupJobStateMachine.Event {
        let logger = self.logger
        let vmName = self.vmName
        return await Task.detached {
            do {
                try await body()
                return success
            } catch {
                let classified = EngineError(classifying: error, step: step, vm: vmName)
                logger.error(
                    "job step failed", metadata: ["job.step": "\(step.rawValue)", "error": "\(classified.message)"])
                return failure(classified)
            }
        }.value
    }
}

extension BackupJobStateMachine.Action {
    /// The action as a log field: its name, with the consistency of a publish (the outcome of a
    /// finish is logged when the job ends).
    var logName: String {
        switch self {
        case .prepareTarget: "prepare_target"
        case .freeze: "freeze"
        case .snapshot: "snapshot"
        case .thaw: "thaw"
        case .stream: "stream"
        case .release: "release"
        case .publish(let consistency): "publish:\(consistency.rawValue)"
        case .discard: "discard"
        case .finish: "finish"
        }
    }
}
