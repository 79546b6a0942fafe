import Foundation
import Libvirt

/// A tiny running guest for real tests: its own temp folder holding the guest kernel, a 64 MiB
/// qcow2 disk (vda) and a 64 MiB raw ext4 disk (vdb, mounted in the guest at /mnt/vdb).
final class TestGuest {
    static let prefix = "vmbt-libvirt-"

    let name: String
    let folder: URL
    let connection: LibvirtConnection
    let domain: Domain
    var qcow2Disk: String { folder.appendingPathComponent("disk-a.qcow2").path }
    var rawDisk: String { folder.appendingPathComponent("disk-b.raw").path }

    /// Builds the guest with the project's scripts/testhost and starts it; with `agent`, waits for
    /// the guest agent, else boots with `ga=off` and returns as soon as QEMU runs.
    init(_ suffix: String, agent: Bool) throws {
        let connection = try LibvirtConnection(uri: LibvirtHost.uri)
        Self.removeLeftovers(named: Self.prefix + suffix, on: connection)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(Self.prefix)\(suffix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.name = Self.prefix + suffix
        self.folder = folder
        self.connection = connection
        let guest = folder.appendingPathComponent("guest").path
        let scripts = LibvirtHost.scripts
        do {
            try HostCommand.run("/bin/bash", [scripts.appendingPathComponent("build-guest.sh").path, guest])
            try HostCommand.run(
                "/usr/bin/qemu-img",
                ["create", "-q", "-f", "qcow2", folder.appendingPathComponent("disk-a.qcow2").path, "64M"])
            let raw = folder.appendingPathComponent("disk-b.raw").path
            try HostCommand.run("/usr/bin/truncate", ["-s", "64M", raw])
            try HostCommand.run("/usr/sbin/mkfs.ext4", ["-q", "-F", raw])
            var arguments = [scripts.appendingPathComponent("define-vm.sh").path, name, guest]
            if !agent { arguments += ["--cmdline", "ga=off"] }
            arguments += [folder.appendingPathComponent("disk-a.qcow2").path, "\(raw):raw"]
            try HostCommand.run("/bin/bash", arguments)
            domain = try connection.lookupDomain(name)
        } catch {
            Self.removeLeftovers(named: Self.prefix + suffix, on: connection)
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Destroys and undefines the domain and removes its folder.
    func tearDown() {
        Self.removeLeftovers(named: name, on: connection)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Destroys and undefines a domain of that name if one is left from an earlier run.
    static func removeLeftovers(named name: String, on connection: LibvirtConnection) {
        guard let domain = try? connection.lookupDomain(name) else { return }
        try? domain.destroy()
        try? domain.undefine()
    }

    /// The source path of each disk in the domain's live (or persistent) XML, by target.
    func diskSources(inactive: Bool = false) throws -> [String: String] {
        let disks = try DomainXML.disks(fromDomainXML: domain.xmlDescription(inactive: inactive))
        return Dictionary(uniqueKeysWithValues: disks.map { ($0.target, $0.sourcePath ?? "") })
    }

    /// Runs a shell command in the guest through the agent and returns its standard output.
    func exec(_ script: String) throws -> String {
        let command: [String: Any] = [
            "execute": "guest-exec",
            "arguments": ["path": "/bin/sh", "arg": ["-c", script], "capture-output": true],
        ]
        let reply = try agent(command)
        guard let pid = (reply["return"] as? [String: Any])?["pid"] as? Int else {
            throw GuestFailure(message: "guest-exec gave no pid: \(reply)")
        }
        for _ in 0..<600 {
            let status = try agent(["execute": "guest-exec-status", "arguments": ["pid": pid]])
            guard let result = status["return"] as? [String: Any] else { break }
            if result["exited"] as? Bool == true {
                let output = (result["out-data"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
                guard result["exitcode"] as? Int == 0 else {
                    throw GuestFailure(message: "guest command failed: \(result)")
                }
                return String(decoding: output, as: UTF8.self)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw GuestFailure(message: "guest command did not finish: \(script)")
    }

    private func agent(_ command: [String: Any]) throws -> [String: Any] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
        let reply = try domain.agentCommand(json, timeoutSeconds: 30)
        return try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any] ?? [:]
    }

    struct GuestFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
