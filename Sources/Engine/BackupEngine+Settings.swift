import APIModel
import Foundation
import Scheduling
import Snapshots

extension BackupEngine {
    public struct Settings: Sendable {
        public var libvirtURI: String
        /// Every target, the default one first; fixed at start.
        public var targets: [TargetSettings]
        /// How long libvirt waits for the guest agent (freeze, thaw, ping).
        public var agentTimeoutSeconds: Int32
        /// How long a freeze may take before it is given up (and its thaw left to the
        /// background thaw).
        public var freezeTimeoutSeconds: Int32
        public var defaultQuiesce: QuiescePolicy
        /// Per-VM disk selection, methods and quiesce policy from the config file.
        public var vmRules: [VMRule]
        /// How large thick LVM snapshots are made.
        public var lvmSnapshotPolicy: LVMSnapshotPolicy
        /// `[policy.NAME]` sections by name; `[[vm]]` rules name the one that applies.
        public var policies: [String: BackupPolicy]
        /// How many backups run at once on this host; the others wait, queued. Each target's
        /// and each policy's own limit applies too.
        public var maxConcurrentJobs: Int
        /// The time zone retention buckets backups in (days, weeks, ...).
        public var timeZone: TimeZone
        /// How many days finished tasks are kept in the catalog.
        public var taskHistoryDays: Int
        /// The daemon's state folder; drills keep their temporary overlays under `drills/` there.
        public var stateDirectory: String
        /// How long a drill waits for the restored guest's agent.
        public var drillTimeout: Duration
        /// Where export sockets go (`vmbackup mount`): `nbd/` beside the API's socket. Nil serves
        /// no exports.
        public var exportSocketFolder: String?
        /// The program mail notices are handed to, as `sendmail -t -oi`.
        public var sendmailPath: String

        public init(
            libvirtURI: String = "qemu:///system", targets: [TargetSettings], agentTimeoutSeconds: Int32 = 10,
            freezeTimeoutSeconds: Int32 = 15, defaultQuiesce: QuiescePolicy = .preferred, vmRules: [VMRule] = [],
            lvmSnapshotPolicy: LVMSnapshotPolicy = .init(), policies: [String: BackupPolicy] = [:],
            maxConcurrentJobs: Int = 2, timeZone: TimeZone = .current, taskHistoryDays: Int = 30,
            stateDirectory: String = "/var/lib/vmbackup", drillTimeout: Duration = .seconds(300),
            exportSocketFolder: String? = nil, sendmailPath: String = "/usr/sbin/sendmail"
        ) {
            self.sendmailPath = sendmailPath
            self.libvirtURI = libvirtURI
            self.targets = targets
            self.agentTimeoutSeconds = agentTimeoutSeconds
            self.freezeTimeoutSeconds = freezeTimeoutSeconds
            self.defaultQuiesce = defaultQuiesce
            self.vmRules = vmRules
            self.lvmSnapshotPolicy = lvmSnapshotPolicy
            self.policies = policies
            self.maxConcurrentJobs = maxConcurrentJobs
            self.timeZone = timeZone
            self.taskHistoryDays = taskHistoryDays
            self.stateDirectory = stateDirectory
            self.drillTimeout = drillTimeout
            self.exportSocketFolder = exportSocketFolder
        }

        /// The policy of the first rule that selects the VM and names one.
        public func policy(forVM name: String, uuid: String) -> BackupPolicy? {
            guard let rule = vmRules.first(where: { $0.matches(name: name, uuid: uuid) }), let policy = rule.policy
            else { return nil }
            return policies[policy]
        }
    }
}
