import APIModel

/// One kind of job the runner runs: backup now; restore, verify and drill next. A kind is a plan
/// (made before the job is queued, so a bad request is refused at once), a pure state machine
/// that returns actions, and the effects that carry them out; `run` drives them.
///
/// The runner gives every kind the same queue and slots, cancellation, progress, step reports
/// and task registry; a new kind adds files, not conditionals in the runner.
public protocol Job: Sendable {
    /// How the API names the kind: `backup`.
    static var kind: String { get }

    /// Runs the job to its end. Cancelling the calling task turns the next forward step into the
    /// cleanup path; steps that protect a guest (thaw, merge) run to the end regardless.
    func run(_ context: JobContext) async -> JobOutcome

    /// Counts the finished job in the kind's metrics; the runner calls it once per job.
    func count(_ outcome: JobOutcome, vmName: String, duration: Duration)
}

extension Job {
    /// A kind without metrics of its own counts nothing.
    public func count(_ outcome: JobOutcome, vmName: String, duration: Duration) {}
}

/// How a job ended, as the runner records it.
public struct JobOutcome: Sendable {
    public enum State: Sendable {
        case succeeded
        case failed(EngineError)
        case cancelled
    }

    public var state: State
    /// The backup the job made (a backup) or worked on (a verify), as it is now.
    public var backup: BackupSummary?
    /// What a successful restore made.
    public var restored: RestoreSummary?
    /// What a drill found, passed or failed.
    public var drill: DrillResult?
    /// How long the guest's filesystems stayed frozen, when they were.
    public var freezeWindow: Duration?
    /// The target the job wrote to, for the bytes-written metric.
    public var target: String?
    /// What the job could not undo (a failed thaw, a snapshot kept); empty when it left nothing.
    /// The runner keeps the job's journal entry open with it, for recovery.
    public var leftBehind: [String]

    public init(
        _ state: State, backup: BackupSummary? = nil, restored: RestoreSummary? = nil, drill: DrillResult? = nil,
        freezeWindow: Duration? = nil, target: String? = nil, leftBehind: [String] = []
    ) {
        self.state = state
        self.backup = backup
        self.restored = restored
        self.drill = drill
        self.freezeWindow = freezeWindow
        self.target = target
        self.leftBehind = leftBehind
    }

    /// `succeeded`, `failed` or `cancelled`: the result label of metrics and logs.
    public var resultName: String {
        switch state {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }
}
