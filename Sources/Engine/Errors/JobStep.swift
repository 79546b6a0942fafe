import APIModel

/// The step of a job an error comes from. Each step has the API code its failures get unless the
/// error below says something more precise.
public enum JobStep: String, Sendable, Equatable, CaseIterable {
    /// Looking the VM up, reading its XML, choosing disks and methods.
    case plan
    /// Waiting for a free slot.
    case queue
    /// Creating the partial backup on the target and writing the domain XML.
    case prepare
    case freeze
    case snapshot
    case thaw
    case stream
    /// Merging or deleting the snapshots.
    case merge
    case publish
    case discard
    /// Undoing what an interrupted job left, at start or before a VM's next backup.
    case recover
    /// Reading or changing the catalog or a stored backup outside a job.
    case catalog
    /// Shutting a domain down before a restore in place.
    case shutdown
    /// Writing a restored disk and checking it against the backup's index.
    case restore
    /// Defining or starting the restored domain.
    case define
    /// Reading a published backup back and checking it against its manifest.
    case verify

    /// The code a failure of this step gets when its cause has no code of its own.
    public var failureCode: APIErrorCode {
        switch self {
        case .freeze, .thaw: .freezeFailed
        case .snapshot: .snapshotFailed
        case .stream: .streamFailed
        case .merge: .mergeFailed
        case .verify: .verifyFailed
        case .prepare, .publish, .discard: .targetFailed
        case .plan, .shutdown, .define: .hypervisorFailed
        case .restore: .restoreFailed
        case .queue, .recover, .catalog: .internal
        }
    }

    /// How a user reads the step in a message: "freeze", "prepare the target".
    public var phrase: String {
        switch self {
        case .prepare: "prepare the target"
        case .queue: "wait for a slot"
        default: rawValue
        }
    }
}
