import APIModel
import Foundation
import Scheduling

/// The daemon's settings: defaults, overridden by the config file, overridden by flags.
public struct DaemonConfig: Sendable, Equatable {
    public var socketPath = "/run/vmbackup/vmbackupd.sock"
    public var stateDirectory = "/var/lib/vmbackup"
    public var libvirtURI = "qemu:///system"
    public var logLevel = "info"
    /// The directory target's root; `<stateDirectory>/backups` when not set.
    public var targetDirectory: String?
    public var quiesce = QuiescePolicy.preferred
    public var agentTimeoutSeconds = 10
    /// How long a freeze may take before it is given up.
    public var freezeTimeoutSeconds = 15
    /// A thick LVM snapshot's size as a share of its origin, in percent.
    public var lvmSnapshotPercent = 20
    /// The least a thick LVM snapshot is given, in MiB, unless its origin is smaller.
    public var lvmSnapshotMinimumMiB = 32
    /// `[[vm]]` sections, in file order: the first that matches a VM applies.
    public var vms: [VMRule] = []
    /// `[policy.NAME]` sections by name.
    public var policies: [String: BackupPolicy] = [:]
    /// How many backups run at once on this host; more wait in the queue.
    public var maxConcurrentJobs = 2
    /// How many days finished tasks stay listed (`GET /v1/tasks`, `vmbackup task ID`).
    public var taskHistoryDays = 30
    /// `[daemon] sendmail`: the program `notify_mail` notices are handed to (`sendmail -t -oi`).
    public var sendmailPath = "/usr/sbin/sendmail"
    /// How many backups write to the target of `[target]` at once.
    public var targetMaxConcurrentJobs = 2
    /// `[targets.NAME]` sections: more directory targets, by name.
    public var namedTargets: [String: TargetSettings] = [:]
    /// `[api] max_connections`: the most connections the socket API serves at once; derived from
    /// the open-file limit when not set (ControlAPI's `ConnectionLimits`).
    public var apiMaxConnections: Int?
    /// `[api] idle_timeout`: seconds an API connection may stay without a request.
    public var apiIdleTimeoutSeconds = 60
    /// The time zone of schedules that name none: the host's.
    public var timeZone = TimeZone.current

    public init() {}

    /// The root of the target of `[target]`, defaulted from the state directory.
    public var effectiveTargetDirectory: String {
        targetDirectory ?? stateDirectory + "/backups"
    }

    /// Every target: `default` (from `[target]`) first, then `[targets.NAME]` by name.
    public var targets: [TargetSettings] {
        [
            TargetSettings(
                name: TargetSettings.defaultName, directory: effectiveTargetDirectory,
                maxConcurrentJobs: targetMaxConcurrentJobs)
        ] + namedTargets.values.sorted { $0.name < $1.name }
    }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}
