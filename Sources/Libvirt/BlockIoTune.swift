/// A disk's I/O limits as libvirt reports them (`virsh blkdeviotune`): every numeric parameter by
/// its libvirt name, so that limits read before a change can be set back exactly, including the
/// ones this type has no name for. 0 means no limit.
public struct BlockIoTune: Sendable, Equatable, Codable {
    /// Each numeric `virDomainGetBlockIoTune` parameter by name (`write_bytes_sec`,
    /// `total_iops_sec_max`, ...).
    public var limits: [String: UInt64]
    /// The throttle group the disk shares its limits with (`group_name`), if any; never set back.
    public var groupName: String?

    public init(limits: [String: UInt64], groupName: String? = nil) {
        self.limits = limits
        self.groupName = groupName
    }

    /// The limit called `name`; 0 (no limit) when libvirt did not report it.
    public subscript(_ name: String) -> UInt64 {
        get { limits[name] ?? 0 }
        set { limits[name] = newValue }
    }

    /// `total_bytes_sec`: reads and writes together, in bytes per second.
    public static let totalBytesPerSecond = "total_bytes_sec"
    /// `write_bytes_sec`: writes, in bytes per second.
    public static let writeBytesPerSecond = "write_bytes_sec"
}
