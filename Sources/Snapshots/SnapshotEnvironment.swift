import Blocking
import LVM
import Libvirt
import Logging

/// What a snapshot method needs to work on one VM: the domain, the thread pool for libvirt's
/// blocking calls, the daemon's one lvm2 runner and policy, and a logger.
public struct SnapshotEnvironment: Sendable {
    public var domain: Domain
    /// The domain's name, for errors and log metadata.
    public var vmName: String
    public var executor: BlockingExecutor
    public var lvm: LVMCommandRunner
    public var lvmPolicy: LVMSnapshotPolicy
    public var logger: Logger

    public init(
        domain: Domain, vmName: String, executor: BlockingExecutor, lvm: LVMCommandRunner,
        lvmPolicy: LVMSnapshotPolicy, logger: Logger
    ) {
        self.domain = domain
        self.vmName = vmName
        self.executor = executor
        self.lvm = lvm
        self.lvmPolicy = lvmPolicy
        self.logger = logger
    }
}
