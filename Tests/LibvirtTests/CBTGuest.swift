import Foundation
import Libvirt

/// A running domain with one qcow2 disk (vda) for the changed-block tracking tests. It boots
/// firmware only (it never reaches a kernel), which costs next to no CPU: the tests write to its
/// disk through QEMU itself (`qemu-io` on the monitor), not from a guest.
final class CBTGuest: Sendable {
    static let prefix = "vmbt-cbt-"

    let name: String
    let folder: URL
    let connection: LibvirtConnection
    let domain: Domain
    var disk: String { folder.appendingPathComponent("vda.qcow2").path }

    /// Defines and starts `vmbt-cbt-<suffix>` on a new qcow2 image of `size` (e.g. `1G`), or on the
    /// image `prepare` makes at the path it is given.
    init(_ suffix: String, size: String = "1G", prepare: ((String) throws -> Void)? = nil) throws {
        let name = Self.prefix + suffix
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        Self.removeLeftovers(named: name, on: connection)
        let folder = URL(fileURLWithPath: "/var/tmp")
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.name = name
        self.folder = folder
        self.connection = connection
        let disk = folder.appendingPathComponent("vda.qcow2").path
        do {
            if let prepare {
                try prepare(disk)
            } else {
                try HostCommand.run("/usr/bin/qemu-img", ["create", "-q", "-f", "qcow2", disk, size])
            }
            try HostCommand.run(
                "/bin/bash",
                [
                    LibvirtHost.scripts.appendingPathComponent("define-vm.sh").path, name, folder.path,
                    "--firmware-only", "\(disk):qcow2",
                ])
            domain = try connection.lookupDomain(name)
        } catch {
            Self.removeLeftovers(named: name, on: connection)
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Destroys the domain, undefines it with its checkpoints' metadata, and removes its folder.
    func tearDown() {
        Self.removeLeftovers(named: name, on: connection)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Destroys and undefines a domain of that name if one is left from an earlier run.
    /// `undefine()` passes `VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA`, without which a domain that
    /// has checkpoints cannot be undefined.
    static func removeLeftovers(named name: String, on connection: LibvirtConnection) {
        TestGuest.removeLeftovers(named: name, on: connection)
    }

    /// Has QEMU write `length` bytes of `pattern` at `offset` of vda, as the guest would: through
    /// the disk's virtio device, so the write goes through every dirty bitmap of the image.
    ///
    /// Runs HMP `qemu-io -d <device> "write -P ..."` through `virsh qemu-monitor-command`. HMP
    /// reports failure as text with exit status 0, so any output is an error.
    func write(pattern: UInt8, offset: UInt64, length: UInt64) throws {
        let command = "write -P 0x\(String(pattern, radix: 16)) \(offset) \(length)"
        let output = try HostCommand.run(
            "/usr/bin/virsh",
            [
                "-c", LibvirtHost.uri, "qemu-monitor-command", name, "--hmp",
                "qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"\(command)\"",
            ])
        guard output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HostCommand.Failure(command: ["qemu-io", command], status: 0, output: output)
        }
    }

    /// Runs `virsh ARGUMENTS` against this domain's connection, e.g. to act behind the daemon's back.
    @discardableResult
    func virsh(_ arguments: [String]) throws -> String {
        try HostCommand.run("/usr/bin/virsh", ["-c", LibvirtHost.uri] + arguments)
    }

    /// Paths in the guest's folder that a backup job makes (scratch files, sockets).
    func jobFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".scratch") || $0.hasSuffix(".sock") }.sorted()
    }

    /// A pull-mode backup of vda with its scratch file and socket in the guest's folder.
    func pullBackup(incrementalSince checkpoint: String?) -> PullBackupRequest {
        PullBackupRequest(
            incrementalSince: checkpoint,
            socketPath: folder.appendingPathComponent("nbd.sock").path,
            disks: [.init(name: "vda", scratchPath: folder.appendingPathComponent("vda.scratch").path)])
    }
}

extension CBTGuest {
    /// Removes a dirty bitmap from vda's image through QMP `block-dirty-bitmap-remove`: what a
    /// metadata-only checkpoint delete leaves behind.
    func removeBitmap(named bitmap: String) throws {
        let reply = try virsh(["qemu-monitor-command", name, #"{"execute":"query-block"}"#])
        let object = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]
        let devices = object?["return"] as? [[String: Any]] ?? []
        let inserted = devices.compactMap { $0["inserted"] as? [String: Any] }
        guard let node = inserted.first?["node-name"] as? String else {
            throw HostCommand.Failure(command: ["query-block"], status: 0, output: reply)
        }
        let command: [String: Any] = [
            "execute": "block-dirty-bitmap-remove", "arguments": ["node": node, "name": bitmap],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
        try virsh(["qemu-monitor-command", name, json])
    }
}

extension CBTGuest {
    /// Kills the domain's QEMU with SIGKILL, as a host crash or the OOM killer would, and waits
    /// until libvirt reports the domain shut off.
    func killQEMU() throws {
        let pidFile = "/run/libvirt/qemu/\(name).pid"
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else {
            throw HostCommand.Failure(command: ["cat", pidFile], status: 0, output: text)
        }
        kill(pid, SIGKILL)
        let deadline = Date().addingTimeInterval(10)
        while try domain.state() != .shutOff {
            guard Date() < deadline else {
                throw HostCommand.Failure(command: ["kill", "-9", "\(pid)"], status: 0, output: "domain still running")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
