import Btrfs
import LVM
import Libvirt

extension DiskFacts {
    /// Looks at each disk's source on the host: whether a file lives on btrfs or on a filesystem
    /// that can clone, whether a block device is a logical volume. A source that cannot be
    /// examined gets no facts (and so the qcow2 method for a file). Blocking: call it off the
    /// cooperative pool.
    public static func probe(_ disks: [DomainDisk]) -> [String: DiskFacts] {
        var facts: [String: DiskFacts] = [:]
        for disk in disks {
            guard let path = disk.sourcePath, !path.isEmpty else { continue }
            switch disk.type {
            case "file":
                facts[disk.target] = DiskFacts(
                    isOnBtrfs: (try? BtrfsUtil.isOnBtrfs(path)) ?? false, canReflink: FileClone.mayClone(path))
            case "block":
                facts[disk.target] = DiskFacts(
                    isLogicalVolume: (try? LVMDevice.logicalVolume(atDevicePath: path)) != nil)
            default:
                break
            }
        }
        return facts
    }
}
