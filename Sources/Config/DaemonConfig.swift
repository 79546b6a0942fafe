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
    /// How many backups write to the target at once.
    public var targetMaxConcurrentJobs = 2
    /// The time zone of schedules that name none: the host's.
    public var timeZone = TimeZone.current

    public init() {}

    /// How many backups may run at once: the tighter of the host's and the target's limits.
    public var effectiveConcurrency: Int { max(1, min(maxConcurrentJobs, targetMaxConcurrentJobs)) }

    /// The directory target's root, defaulted from the state directory.
    public var effectiveTargetDirectory: String {
        targetDirectory ?? stateDirectory + "/backups"
    }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}
