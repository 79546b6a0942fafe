/// One family of samples on `GET /metrics`: its name, type, labels and help text.
///
/// ``all`` lists every family vmbackupd exports; the daemon's metrics factory takes the help text
/// from it, so each family carries `# HELP` and `# TYPE`. docs/METRICS.md documents the same list.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public var name: String
    public var kind: Kind
    public var labels: [String]
    public var help: String

    /// The family named `name`; `nil` for a name vmbackupd does not export.
    public static func named(_ name: String) -> MetricFamily? {
        all.first { $0.name == name }
    }

    public static let all: [MetricFamily] = jobs + state

    /// What jobs report as they end: counted since the daemon started.
    static let jobs: [MetricFamily] = [
        .init(
            name: BackupMetrics.backupsLabel, kind: .counter, labels: ["result", "vm"],
            help: "Backup jobs finished since the daemon started, by result (succeeded, failed, cancelled) and VM."),
        .init(
            name: BackupMetrics.bytesWrittenLabel, kind: .counter, labels: ["target"],
            help: "Bytes of disk images written by successful backups since the daemon started, by target."),
        .init(
            name: BackupMetrics.jobDurationLabel, kind: .histogram, labels: ["result"],
            help: "How long backup jobs ran, from start to end, by result."),
        .init(
            name: BackupMetrics.freezeDurationLabel, kind: .histogram, labels: [],
            help: "How long guest filesystems stayed frozen for a backup's snapshots."),
        .init(
            name: BackupMetrics.snapshotLifetimeLabel, kind: .histogram, labels: [],
            help: "How long a backup's snapshots existed, from the first taken to the last merged or removed."),
        .init(
            name: BackupMetrics.queueDepthLabel, kind: .gauge, labels: [],
            help: "Jobs waiting for a free slot."),
        .init(
            name: BackupMetrics.runningLabel, kind: .gauge, labels: [],
            help: "Jobs running."),
        .init(
            name: VerifyMetrics.verifyLabel, kind: .counter, labels: ["result"],
            help: "Verify jobs finished since the daemon started, by result (ok, failed, error, cancelled)."),
        .init(
            name: DrillMetrics.drillsLabel, kind: .counter, labels: ["result"],
            help: "Restore drills finished since the daemon started, by result (passed, failed)."),
    ]

    /// What the catalog and the targets say now: read at start and at each scrape.
    static let state: [MetricFamily] = [
        .init(
            name: StateMetrics.lastSuccessLabel, kind: .gauge, labels: ["vm"],
            help: "When the VM's last successful backup finished, in seconds since the epoch."),
        .init(
            name: StateMetrics.lastFailureLabel, kind: .gauge, labels: ["vm"],
            help: "When the VM's last failed backup ended, in seconds since the epoch, while its task is kept."),
        .init(
            name: StateMetrics.storedBackupsLabel, kind: .gauge, labels: ["vm", "target"],
            help: "Backups of the VM the catalog lists on the target."),
        .init(
            name: StateMetrics.storedBytesLabel, kind: .gauge, labels: ["vm", "target"],
            help: "Bytes the VM's backups take on the target, as their manifests say."),
        .init(
            name: StateMetrics.targetFreeLabel, kind: .gauge, labels: ["target"],
            help: "Bytes free for the daemon on the target's file system."),
        .init(
            name: StateMetrics.targetSizeLabel, kind: .gauge, labels: ["target"],
            help: "Size in bytes of the target's file system."),
        .init(
            name: StateMetrics.unresolvedLabel, kind: .gauge, labels: [],
            help: "Interrupted jobs whose leftovers recovery could not undo (see vmbackup status)."),
        .init(
            name: StateMetrics.lastVerifyLabel, kind: .gauge, labels: ["vm"],
            help: "When a backup of the VM was last verified, in seconds since the epoch."),
        .init(
            name: StateMetrics.lastVerifySuccessLabel, kind: .gauge, labels: ["vm"],
            help: "Whether the VM's last verification passed (1) or found damage (0)."),
        .init(
            name: StateMetrics.lastDrillLabel, kind: .gauge, labels: ["vm"],
            help: "When a backup of the VM was last drilled, in seconds since the epoch."),
        .init(
            name: StateMetrics.lastDrillSuccessLabel, kind: .gauge, labels: ["vm"],
            help: "Whether the VM's last drill passed (1) or failed (0)."),
        .init(
            name: DrillMetrics.secondsToAgentLabel, kind: .gauge, labels: ["vm"],
            help: "Seconds the VM's last passed drill took from start to the guest agent's answer."),
    ]
}
