import Foundation

/// `GET /v1/status`.
public struct DaemonStatus: Codable, Sendable {
    /// One VM the schedule backs up, and when.
    public struct ScheduledVM: Codable, Sendable, Equatable {
        public var vmName: String
        public var vmUUID: String
        /// The name of the policy that applies.
        public var policy: String
        /// The calendar expression, normalized (`*-*-* 02:00:00`).
        public var schedule: String
        /// When the next scheduled backup starts, randomized delay included.
        public var nextRun: Date?
        /// When the last backup of the VM on the policy's target was made, scheduled or not.
        public var lastRun: Date?
        /// The target the scheduled backups go to.
        public var target: String?
        /// How the VM's last backup, scheduled or not, ended: failed ones too, which `lastRun`
        /// does not show. Absent when the daemon knows of none.
        public var lastBackupTask: TaskResult?

        public init(
            vmName: String, vmUUID: String, policy: String, schedule: String, nextRun: Date?, lastRun: Date?,
            target: String? = nil, lastBackupTask: TaskResult? = nil
        ) {
            self.vmName = vmName
            self.vmUUID = vmUUID
            self.policy = policy
            self.schedule = schedule
            self.nextRun = nextRun
            self.lastRun = lastRun
            self.target = target
            self.lastBackupTask = lastBackupTask
        }
    }

    public var version: String
    public var started: Date
    public var libvirtURI: String
    /// The directory of the default target.
    public var targetDirectory: String
    /// Every target, the default one first.
    public var targets: [TargetSettings]?
    /// What interrupted backups left that recovery could not undo, one line each; empty when
    /// nothing is left.
    public var unresolvedRecoveries: [String]?
    /// The guests that may still be frozen, which the daemon keeps trying to thaw.
    public var pendingThaws: [PendingThaw]?
    public var runningTasks: Int
    public var queuedTasks: Int
    /// The running and queued tasks, oldest first.
    public var active: [TaskInfo]
    /// Every VM with a schedule, soonest next run first.
    public var schedule: [ScheduledVM]

    public init(
        version: String, started: Date, libvirtURI: String, targetDirectory: String, runningTasks: Int,
        queuedTasks: Int, active: [TaskInfo] = [], schedule: [ScheduledVM] = [], targets: [TargetSettings]? = nil,
        unresolvedRecoveries: [String]? = nil, pendingThaws: [PendingThaw]? = nil
    ) {
        self.version = version
        self.started = started
        self.libvirtURI = libvirtURI
        self.targetDirectory = targetDirectory
        self.runningTasks = runningTasks
        self.queuedTasks = queuedTasks
        self.active = active
        self.schedule = schedule
        self.targets = targets
        self.unresolvedRecoveries = unresolvedRecoveries
        self.pendingThaws = pendingThaws
    }
}
