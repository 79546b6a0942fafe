import Foundation
import Testing

/// The real test host: libvirtd, the tiny test guest, disk images, the project's scripts.
enum TestHost {
    static let libvirtURI = "qemu:///system"
    /// Every test domain's name starts with this, so leftovers can be swept.
    static let domainPrefix = "vmbt-"

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func script(_ name: String) -> String { packageRoot + "/scripts/testhost/" + name }

    /// Where `swift build` put vmbackupd and vmbackup.
    static let binDirectory: String = {
        if let dir = ProcessInfo.processInfo.environment["VMBACKUP_BIN_DIR"], !dir.isEmpty { return dir }
        return (try? Shell.run(["swift", "build", "--package-path", packageRoot, "--show-bin-path"]).stdout)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? packageRoot + "/.build/debug"
    }()

    /// The guest kernel and initramfs, built once per test run.
    static let guestDirectory: String = {
        let dir = NSTemporaryDirectory() + "vmbt-guest-\(getpid())"
        do {
            try Shell.run([script("build-guest.sh"), dir])
        } catch {
            Issue.record("building the test guest failed: \(error)")
        }
        return dir
    }()

    /// A fresh folder for one test's images.
    static func makeWorkDirectory(_ name: String) throws -> String {
        let dir = "/var/tmp/vmbt-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Creates an ext4 disk image of `sizeMiB` in `format` (qcow2 or raw); the guest mounts it at /mnt/vdX.
    /// `prefillMiB` of random data go into a file `/prefill` of the filesystem first.
    static func makeDisk(_ path: String, sizeMiB: Int, format: String, prefillMiB: Int = 0) throws {
        let raw = format == "raw" ? path : path + ".tmp.raw"
        try Shell.run(["truncate", "-s", "\(sizeMiB)M", raw])
        try Shell.run(["mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", raw])
        if prefillMiB > 0 {
            let mountPoint = path + ".fill"
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            try Shell.run(["mount", "-o", "loop", raw, mountPoint])
            defer {
                _ = try? Shell.run(["umount", mountPoint], check: false)
                try? FileManager.default.removeItem(atPath: mountPoint)
            }
            try Shell.run([
                "dd", "if=/dev/urandom", "of=\(mountPoint)/prefill", "bs=1M", "count=\(prefillMiB)", "status=none",
            ])
        }
        if format == "qcow2" {
            try Shell.run(["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw, path])
            try FileManager.default.removeItem(atPath: raw)
        }
    }

    static func virsh(_ arguments: [String], check: Bool = true) throws -> Shell.Output {
        try Shell.run(["virsh", "-q", "-c", libvirtURI] + arguments, check: check)
    }

    /// Destroys and undefines every leftover test domain of an earlier run.
    static func sweepLeftovers() {
        let names = (try? virsh(["list", "--all", "--name"]).stdout) ?? ""
        for name in names.split(separator: "\n").map(String.init) where name.hasPrefix(domainPrefix) {
            _ = try? virsh(["destroy", name], check: false)
            _ = try? virsh(["undefine", "--checkpoints-metadata", "--nvram", name], check: false)
        }
    }

    static var isReady: Bool {
        getuid() == 0 && (try? virsh(["version"]))?.status == 0
    }
}
