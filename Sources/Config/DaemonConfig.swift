import APIModel

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
    /// `[[vm]]` sections, in file order: the first that matches a VM applies.
    public var vms: [VMRule] = []

    public init() {}

    /// The directory target's root, defaulted from the state directory.
    public var effectiveTargetDirectory: String {
        targetDirectory ?? stateDirectory + "/backups"
    }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}
