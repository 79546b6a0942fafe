import APIModel
import Blocking
import Logging

/// The `btrfs` method: a read-only snapshot of the subvolume that holds each disk's image file;
/// the backupSource is the same file inside the snapshot, and release deletes the snapshot
/// subvolume. The guest keeps running on its images throughout.
///
/// Disks whose images share a subvolume share one snapshot. A disk in a nested subvolume is
/// snapshotted through that innermost subvolume, since a snapshot of an outer one shows a nested
/// subvolume only as an empty folder.
public struct BtrfsSnapshot: SnapshotMethod {
    let vmName: String
    /// Runs the libbtrfsutil calls, which block, off the cooperative pool.
    let executor: BlockingExecutor
    let logger: Logger

    /// - Parameter vmName: the domain's name, for errors and log metadata.
    public init(vmName: String, executor: BlockingExecutor, logger: Logger) {
        self.vmName = vmName
        self.executor = executor
        self.logger = logger
    }

    public init(_ environment: SnapshotEnvironment) {
        self.init(vmName: environment.vmName, executor: environment.executor, logger: environment.logger)
    }

    public static var methodName: SnapshotMethodName { .btrfs }

    public static func impossibility(kind: DiskKind, facts: DiskFacts) -> String? {
        if kind != .file { return "it is a block device, not a file" }
        if !facts.isOnBtrfs { return "its file is not on btrfs" }
        return nil
    }

    public static func isDefault(kind: DiskKind, facts: DiskFacts) -> Bool { kind == .file && facts.isOnBtrfs }

    func failure(
        _ step: SnapshotError.Step, disks: [String], message: String, cause: (any Error)? = nil
    ) -> SnapshotError {
        SnapshotError(step, vm: vmName, disks: disks, message: message, cause: cause)
    }
}
