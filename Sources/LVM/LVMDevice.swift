import Foundation

/// Finds the logical volume behind a block device path: `/dev/vg/lv`, `/dev/mapper/vg-lv`,
/// `/dev/dm-3` or any symlink to one of them.
///
/// The path is resolved by its device number, not by its spelling: `stat` gives the major and
/// minor number, and the kernel's `/sys/dev/block/<major>:<minor>/dm/{name,uuid}` tell whether it
/// is a device-mapper device made by lvm and what lvm called it.
public enum LVMDevice {
    /// The logical volume whose device node `path` is (or points to).
    public static func logicalVolume(atDevicePath path: String) throws(LVMDeviceError) -> LogicalVolumeReference {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw LVMDeviceError(path: path, reason: "cannot be examined: \(reason)")
        }
        guard status.st_mode & S_IFMT == S_IFBLK else {
            throw LVMDeviceError(path: path, reason: "is not a block device")
        }
        let (major, minor) = deviceNumbers(UInt64(status.st_rdev))
        let mapper = "/sys/dev/block/\(major):\(minor)/dm"
        guard let dmName = readLine(at: "\(mapper)/name") else {
            throw LVMDeviceError(path: path, reason: "is not a device-mapper device, so not a logical volume")
        }
        guard let uuid = readLine(at: "\(mapper)/uuid"), uuid.hasPrefix("LVM-") else {
            throw LVMDeviceError(path: path, reason: "is device-mapper device \(dmName), which lvm did not make")
        }
        guard let parts = splitDeviceMapperName(dmName), parts.layer.isEmpty else {
            throw LVMDeviceError(path: path, reason: "is \(dmName), an internal layer of a logical volume")
        }
        do {
            return LogicalVolumeReference(volumeGroup: try LVMName(parts.vg), name: try LVMName(parts.lv))
        } catch {
            throw LVMDeviceError(path: path, reason: "is \(dmName), which does not name a logical volume (\(error))")
        }
    }

    /// Splits a device-mapper name as lvm forms it, `<vg>-<lv>[-<layer>]` with each `-` inside a
    /// name doubled: `vm--disks-web-real` is volume group `vm-disks`, volume `web`, layer `real`.
    /// Mirrors libdevmapper's `dm_split_lvm_name`.
    static func splitDeviceMapperName(_ name: String) -> (vg: String, lv: String, layer: String)? {
        let characters = Array(name)
        var index = 0
        func component() -> String {
            var result = ""
            while index < characters.count {
                let character = characters[index]
                if character == "-", index + 1 < characters.count {
                    if characters[index + 1] == "-" {
                        index += 1
                    } else {
                        index += 1
                        return result
                    }
                }
                result.append(character)
                index += 1
            }
            return result
        }
        let vg = component()
        let lv = component()
        let layer = String(characters[index...])
        guard !vg.isEmpty, !lv.isEmpty else { return nil }
        return (vg, lv, layer)
    }

    /// glibc's `major` and `minor` of a `dev_t`.
    static func deviceNumbers(_ device: UInt64) -> (major: UInt64, minor: UInt64) {
        let major = ((device & 0x0000_0000_000F_FF00) >> 8) | ((device & 0xFFFF_F000_0000_0000) >> 32)
        let minor = ((device & 0x0000_0FFF_FFF0_0000) >> 12) | (device & 0x0000_0000_0000_00FF)
        return (major, minor)
    }

    private static func readLine(at path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return line.isEmpty ? nil : line
    }
}

/// A device path that is not an active logical volume.
public struct LVMDeviceError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path) \(reason)" }
}
