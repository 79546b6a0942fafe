import APIModel

/// A `[policy.NAME]` section: when the VMs that use it are backed up and how many of their
/// backups are kept. `[[vm]]` sections name the policy that applies to their VMs.
public struct BackupPolicy: Sendable, Equatable {
    public var name: String
    /// When scheduled backups start; `nil` for a policy used on demand only.
    public var schedule: CalendarExpression?
    /// Each VM's runs are shifted by a delay fixed for that VM in `[0, randomizedDelaySeconds)`,
    /// so that VMs sharing a schedule do not all start at once.
    public var randomizedDelaySeconds: Int
    /// Applied after each successful backup and by `vmbackup prune`.
    public var retention: RetentionPolicy
    /// Overrides `[backup] quiesce` for the VMs of this policy (a `[[vm]]`'s own setting wins).
    public var quiesce: QuiescePolicy?
    /// The target the VMs' backups go to; the default target when `nil`.
    public var target: String?
    /// How many backups of this policy's VMs run at once; no limit of its own when `nil`.
    public var maxConcurrentJobs: Int?
    /// When the VMs' backups are verified; `nil` for no scheduled verify.
    public var verifySchedule: CalendarExpression?
    /// When the verify schedule fires, the backups not verified within this many seconds are
    /// verified (those never verified included).
    public var reverifyAfterSeconds: Int
    /// When the newest backup of each of the VMs is drilled (booted as a temporary VM until its
    /// guest agent answers); `nil` for no scheduled drill.
    public var drillSchedule: CalendarExpression?
    /// The level of the VMs' backups, scheduled or on demand, unless a request names one; `nil`
    /// for full backups.
    public var level: BackupLevel?
    /// Under `auto`, a full is made once the chain's full is older than this many seconds.
    public var fullEverySeconds: Int
    /// Under `auto`, a full is made once the chain holds this many backups after its full.
    public var maxChain: Int
    /// Whom to tell when a job of the VMs ends; nobody when empty.
    public var notify: NotificationSettings

    /// A chain's age, under `auto`, when the policy does not say: 7 days.
    public static let defaultFullEverySeconds = 7 * 86_400
    /// A chain's length, under `auto`, when the policy does not say.
    public static let defaultMaxChain = 30

    /// How long a verification stands before a scheduled verify checks the backup again, when
    /// the policy does not say: 30 days.
    public static let defaultReverifyAfterSeconds = 30 * 86_400

    public init(
        name: String, schedule: CalendarExpression? = nil, randomizedDelaySeconds: Int = 0,
        retention: RetentionPolicy = .keepEverything, quiesce: QuiescePolicy? = nil, target: String? = nil,
        maxConcurrentJobs: Int? = nil, verifySchedule: CalendarExpression? = nil,
        reverifyAfterSeconds: Int = BackupPolicy.defaultReverifyAfterSeconds, drillSchedule: CalendarExpression? = nil,
        level: BackupLevel? = nil, fullEverySeconds: Int = BackupPolicy.defaultFullEverySeconds,
        maxChain: Int = BackupPolicy.defaultMaxChain, notify: NotificationSettings = NotificationSettings()
    ) {
        self.notify = notify
        self.level = level
        self.fullEverySeconds = fullEverySeconds
        self.maxChain = maxChain
        self.name = name
        self.schedule = schedule
        self.randomizedDelaySeconds = randomizedDelaySeconds
        self.retention = retention
        self.quiesce = quiesce
        self.target = target
        self.maxConcurrentJobs = maxConcurrentJobs
        self.verifySchedule = verifySchedule
        self.reverifyAfterSeconds = reverifyAfterSeconds
        self.drillSchedule = drillSchedule
    }
}
