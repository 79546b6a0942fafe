import Btrfs
import LVM
import Libvirt
import Snapshots

extension DiskFacts {
    /// Looks at each disk's source on the host: whether a file lives on btrfs, whether a block
    /// device is a logical volume. A source that cannot be examined gets no facts (and so the
    /// qcow2 method for a file).
    static func probe(_ disks: [DomainDisk]) -> [String: DiskFacts] {
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
