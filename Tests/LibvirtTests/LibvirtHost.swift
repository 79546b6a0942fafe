import Foundation
import Libvirt

/// What the real tests need from this host, and the project's test host scripts.
enum LibvirtHost {
    static let uri = "qemu:///system"

    /// Whether a privileged libvirtd answers on qemu:///system.
    static let isReachable: Bool = {
        guard FileManager.default.fileExists(atPath: "/var/run/libvirt/libvirt-sock") else { return false }
        return (try? LibvirtConnection(uri: uri)) != nil
    }()

    /// Whether a Debian kernel for the test guest is installed.
    static let hasGuestKernel: Bool = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? []
        return files.contains { $0.hasPrefix("vmlinuz-") && $0.hasSuffix("-amd64") }
    }()

    /// The package's scripts/testhost folder.
    static let scripts: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/testhost")
}
