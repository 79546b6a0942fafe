import APIModel
import LVM
import Logging

/// The `lvm` method: an LVM snapshot of the logical volume each block disk runs on, through
/// liblvm2cmd. A thick volume gets a copy-on-write snapshot sized by `LVMSnapshotPolicy`, a thin
/// volume a thin snapshot in its pool. The snapshot's device, read raw, is the backupSource;
/// release removes the snapshot. The guest keeps running on its volumes throughout.
///
/// A thick snapshot overflows when the guest writes more than its size during the backup; it then
/// becomes invalid, and `health(of:)` says so, so that the backup fails instead of publishing a
/// broken image.
public struct LVMSnapshot: SnapshotMethod {
    public let vmName: String
    let runner: LVMCommandRunner
    let policy: LVMSnapshotPolicy
    let logger: Logger

    /// - Parameter vmName: the domain's name, for errors and log metadata.
    public init(vmName: String, runner: LVMCommandRunner, policy: LVMSnapshotPolicy = .init(), logger: Logger) {
        self.vmName = vmName
        self.runner = runner
        self.policy = policy
        self.logger = logger
    }

    public init(_ environment: SnapshotEnvironment) {
        self.init(
            vmName: environment.vmName, runner: environment.lvm, policy: environment.lvmPolicy,
            logger: environment.logger)
    }

    public static var methodName: SnapshotMethodName { .lvm }

    public static func impossibility(kind: DiskKind, facts: DiskFacts) -> String? {
        if kind != .block { return "it is a file, not a block device" }
        if !facts.isLogicalVolume { return "the block device is not a logical volume" }
        return nil
    }

    public static func isDefault(kind: DiskKind, facts: DiskFacts) -> Bool {
        kind == .block && facts.isLogicalVolume
    }

    /// A thick snapshot overflows when the guest writes more than its size.
    public static var snapshotsCanSpoil: Bool { true }

    /// The word that marks a logical volume as a snapshot made by a backup, for recovery.
    static let marker = "-vmbackup-"

    /// The snapshot of volume `forLV` for one backup: `<lv>-vmbackup-<backupID>`, e.g.
    /// `web-vmbackup-20261122T013000Z-3f9a`. The volume's part is shortened when the whole would
    /// exceed lvm's 127 characters, so the marker and the backup id always survive.
    public static func snapshotName(forLV volume: String, backupID: String) -> String {
        let suffix = marker + backupID
        let room = max(0, LVMName.maximumLength - suffix.count)
        return String(volume.prefix(room)) + suffix
    }

    func failure(
        _ step: SnapshotError.Step, disks: [String], message: String, cause: (any Error)? = nil
    ) -> SnapshotError {
        SnapshotError(step, vm: vmName, disks: disks, message: message, cause: cause)
    }
}
