import Foundation
import LVM

/// The volumes the scenarios work on, made on the VM's empty disks.
///
/// `/dev/vda` holds volume group `vmbt-lvm` (its `-` exercises device-mapper's name escaping) with a
/// thick volume, a thin pool with a thin volume, and a second thick volume to overflow.
/// `/dev/vdb` holds `vmbt-tight`, nearly full.
enum CheckLayout {
    static let group = "vmbt-lvm"
    static let tightGroup = "vmbt-tight"
    static let volumeBytes = 64 << 20
    static let overflowBytes = 32 << 20

    static func create(with runner: LVMCommandRunner) async throws {
        try allowThinPoolsWithoutThinCheck()
        for command in [
            "pvcreate /dev/vda", "vgcreate \(group) /dev/vda",
            "lvcreate -L 64m -n thick \(group)",
            "lvcreate -L 128m -T \(group)/pool",
            "lvcreate -V 64m -T \(group)/pool -n thin",
            "lvcreate -L 32m -n burst \(group)",
            "pvcreate /dev/vdb", "vgcreate \(tightGroup) /dev/vdb",
            "lvcreate -L 56m -n full \(tightGroup)",
        ] {
            try await runner.run(command)
        }
    }

    /// lvm checks a thin pool's metadata with `thin_check` before activating it; the test host
    /// need not have thin-provisioning-tools, and the VM's root is a throw-away overlay.
    static func allowThinPoolsWithoutThinCheck() throws {
        guard !FileManager.default.isExecutableFile(atPath: "/usr/sbin/thin_check") else { return }
        guard let handle = FileHandle(forWritingAtPath: "/etc/lvm/lvmlocal.conf") else {
            throw CheckFailure("cannot open /etc/lvm/lvmlocal.conf")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("global {\n thin_check_executable = \"\"\n}\n".utf8))
    }

    /// Every visible volume in `group`.
    static func volumes(in group: String, runner: LVMCommandRunner) async throws -> [LogicalVolume] {
        try await runner.logicalVolumes(in: LVMName(group))
    }
}
