import APIModel

/// The order of one backup job (DESIGN.md "One backup, step by step"), as a pure state machine.
///
/// It performs no I/O: the runner reports what happened as an ``Event`` and receives the next
/// ``Action``. Every path that froze the guest thaws it, every path that took snapshots releases
/// them, and every path that prepared a partial backup either publishes or discards it.
public struct BackupJobStateMachine: Sendable {
    public enum Action: Sendable, Equatable {
        /// Create the partial backup on the target and write the domain XML.
        case prepareTarget
        case freeze
        case snapshot
        case thaw
        case stream
        /// Merge or delete every snapshot taken.
        case release
        case publish(Consistency)
        /// Remove the partial backup.
        case discard
        case finish(Outcome)
    }

    public enum Outcome: Sendable, Equatable {
        case succeeded(Consistency)
        case failed(EngineError)
        case cancelled
    }

    public enum Event: Sendable, Equatable {
        case started
        case targetPrepared
        case targetFailed(EngineError)
        case frozen
        case freezeFailed(EngineError)
        case snapshotted
        case snapshotFailed(EngineError)
        case thawed
        case thawFailed(EngineError)
        case streamed
        case streamFailed(EngineError)
        case released
        case releaseFailed(EngineError)
        case published
        case publishFailed(EngineError)
        case discarded
    }

    /// What the job needs to know before it starts.
    public struct Setup: Sendable, Equatable {
        public var quiesce: QuiescePolicy
        /// Whether the domain runs: a shut-off domain is neither frozen nor snapshotted.
        public var domainRunning: Bool
        /// Whether the guest agent answered a ping while planning.
        public var agentAvailable: Bool

        public init(quiesce: QuiescePolicy, domainRunning: Bool, agentAvailable: Bool) {
            self.quiesce = quiesce
            self.domainRunning = domainRunning
            self.agentAvailable = agentAvailable
        }
    }

    private enum Phase: Sendable, Equatable {
        case idle, preparing, freezing, snapshotting, thawing, streaming, releasing, publishing, discarding
        case finished
    }

    private let setup: Setup
    private var phase: Phase = .idle
    private var frozen = false
    private var snapshotsTaken = false
    private var streamed = false
    private var consistency: Consistency = .crash
    /// The first failure; later ones during cleanup are folded into its message.
    private var failure: EngineError?
    private var cancelRequested = false

    public init(_ setup: Setup) {
        self.setup = setup
    }

    /// Whether the guest is frozen as far as the job knows (a failed freeze counts as possibly frozen).
    public var mayBeFrozen: Bool { frozen }

    /// Asks the job to stop: the next forward step becomes the cleanup path.
    public mutating func cancel() {
        cancelRequested = true
    }

    public mutating func next(after event: Event) -> Action {
        switch event {
        case .started:
            precondition(phase == .idle, "started twice")
            if setup.quiesce == .required && setup.domainRunning && !setup.agentAvailable {
                return finish(
                    failing: EngineError(
                        .agentUnavailable,
                        "the guest agent does not answer and quiesce is required; nothing was changed",
                        step: .freeze))
            }
            if cancelRequested { return finish(failing: nil) }
            phase = .preparing
            return .prepareTarget

        case .targetPrepared:
            return afterTargetPrepared()
        case .targetFailed(let error):
            return finish(failing: error)

        case .frozen:
            frozen = true
            consistency = .filesystem
            return snapshotOrCleanUp()
        case .freezeFailed(let error):
            // A failed or timed-out freeze may still have frozen some filesystems: always thaw.
            frozen = true
            consistency = .crash
            if setup.quiesce == .required {
                record(error)
            }
            phase = .thawing
            return .thaw

        case .snapshotted:
            snapshotsTaken = true
            if frozen {
                phase = .thawing
                return .thaw
            }
            return streamOrCleanUp()
        case .snapshotFailed(let error):
            record(error)
            if frozen {
                phase = .thawing
                return .thaw
            }
            return cleanUp()

        case .thawed:
            frozen = false
            return afterThaw()
        case .thawFailed(let error):
            frozen = false
            var failure = error
            failure.message = "thawing the guest failed; its filesystems may still be frozen: \(error.message)"
            record(failure)
            return afterThaw()

        case .streamed:
            streamed = true
            return cleanUp()
        case .streamFailed(let error):
            record(error)
            return cleanUp()

        case .released:
            snapshotsTaken = false
            return cleanUp()
        case .releaseFailed(let error):
            snapshotsTaken = false
            record(error)
            return cleanUp()

        case .published:
            // Published is final: a cancel that arrives now is too late to matter.
            phase = .finished
            return .finish(.succeeded(consistency))
        case .publishFailed(let error):
            record(error)
            phase = .discarding
            return .discard

        case .discarded:
            return finish(failing: nil)
        }
    }

    private mutating func afterTargetPrepared() -> Action {
        if cancelRequested { return cleanUp() }
        if setup.domainRunning && setup.quiesce != .off && (setup.agentAvailable || setup.quiesce == .required) {
            phase = .freezing
            return .freeze
        }
        return snapshotOrCleanUp()
    }

    private mutating func snapshotOrCleanUp() -> Action {
        if cancelRequested || failure != nil { return cleanUp() }
        phase = .snapshotting
        return .snapshot
    }

    private mutating func afterThaw() -> Action {
        if phase == .thawing && !snapshotsTaken && failure == nil && !cancelRequested {
            // Thawed after a failed freeze under `preferred`: carry on crash-consistent.
            phase = .snapshotting
            return .snapshot
        }
        return streamOrCleanUp()
    }

    private mutating func streamOrCleanUp() -> Action {
        if cancelRequested || failure != nil { return cleanUp() }
        phase = .streaming
        return .stream
    }

    /// The way out, from wherever the job is: thaw, release, then publish or discard.
    private mutating func cleanUp() -> Action {
        if frozen {
            phase = .thawing
            return .thaw
        }
        if snapshotsTaken {
            phase = .releasing
            return .release
        }
        if streamed && failure == nil && !cancelRequested {
            phase = .publishing
            return .publish(consistency)
        }
        if phase != .discarding && phase != .idle {
            phase = .discarding
            return .discard
        }
        return finish(failing: nil)
    }

    private mutating func record(_ error: EngineError) {
        if failure != nil {
            failure?.message += "; then: \(error.message)"
        } else {
            failure = error
        }
    }

    private mutating func finish(failing error: EngineError?) -> Action {
        if let error { record(error) }
        phase = .finished
        if cancelRequested && (failure == nil || failure?.code == .cancelled) { return .finish(.cancelled) }
        if let failure { return .finish(.failed(failure)) }
        return .finish(.succeeded(consistency))
    }
}
