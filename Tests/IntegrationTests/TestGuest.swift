import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A libvirt domain running the tiny test guest, with ext4 disks mounted at /mnt/vdX.
struct TestGuest {
    let name: String
    let directory: String
    /// Disk image paths in target order: vda, vdb, ...
    let disks: [String]

    static let targets = ["vda", "vdb", "vdc", "vdd"]

    /// Defines the domain and, unless `start` is false, starts it and waits for its agent.
    /// `cmdline` adds guest knobs to the kernel command line (`ga_hook=hang:30`, see
    /// scripts/testhost/build-guest.sh). `tpm` gives it an emulated TPM 2.0 (/dev/tpm0 in the
    /// guest); `uefiVars` boots it through OVMF with that file as its NVRAM, for a domain that is
    /// never started (OVMF takes minutes to boot under emulation here).
    static func make(
        _ name: String, disks specs: [(sizeMiB: Int, format: String)], agent: Bool = true, start: Bool = true,
        prefillMiB: Int = 0, diskDirectories: [String?] = [], cmdline: String? = nil, tpm: Bool = false,
        uefiVars: String? = nil
    ) throws -> TestGuest {
        let fullName = TestHost.domainPrefix + name
        _ = try? TestHost.virsh(["destroy", fullName], check: false)
        _ = try? TestHost.virsh(["undefine", "--checkpoints-metadata", "--nvram", fullName], check: false)
        let directory = try TestHost.makeWorkDirectory(name)
        var disks: [String] = []
        for (index, spec) in specs.enumerated() {
            let folder = (index < diskDirectories.count ? diskDirectories[index] : nil) ?? directory
            let path = "\(folder)/\(targets[index]).\(spec.format)"
            try TestHost.makeDisk(path, sizeMiB: spec.sizeMiB, format: spec.format, prefillMiB: prefillMiB)
            disks.append(path)
        }
        var command = [TestHost.script("define-vm.sh"), fullName, TestHost.guestDirectory]
        let knobs = [agent ? nil : "ga=off", cmdline].compactMap { $0 }
        if !knobs.isEmpty { command += ["--cmdline", knobs.joined(separator: " ")] }
        if !start { command += ["--no-start"] }
        if tpm { command += ["--tpm"] }
        if let uefiVars { command += ["--uefi", uefiVars] }
        try Shell.run(command + zip(disks, specs).map { "\($0):\($1.format)" })
        if start && !agent {
            // No agent to wait for: give the guest time to boot and mount its disks.
            try waitForConsole(directory: TestHost.guestDirectory, name: fullName, line: "guest: ready")
        }
        return TestGuest(name: fullName, directory: directory, disks: disks)
    }

    private static func waitForConsole(directory: String, name: String, line: String) throws {
        let log = "\(directory)/\(name).console.log"
        for _ in 0..<240 {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains(line) { return }
            usleep(250_000)
        }
        throw Shell.Failure(
            command: ["wait for \(line)"], output: .init(status: 1, stdout: "", stderr: "\(name) did not boot"))
    }

    /// Destroys and undefines the domain and removes its images.
    func remove() {
        _ = try? TestHost.virsh(["destroy", name], check: false)
        _ = try? TestHost.virsh(["undefine", "--checkpoints-metadata", "--nvram", name], check: false)
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: The guest agent

    func agent(_ json: String) throws -> [String: Any] {
        let output = try TestHost.virsh(["qemu-agent-command", name, json])
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        return object ?? [:]
    }

    /// Starts `script` in the guest (busybox sh) and returns the agent's pid for it.
    func startInGuest(_ script: String) throws -> Int {
        let request: [String: Any] = [
            "execute": "guest-exec",
            "arguments": ["path": "/bin/sh", "arg": ["-c", script], "capture-output": true],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        guard let ret = try agent(json)["return"] as? [String: Any], let pid = ret["pid"] as? Int else {
            throw Shell.Failure(command: ["guest-exec"], output: .init(status: 1, stdout: "", stderr: "no pid"))
        }
        return pid
    }

    /// The exit status and output of a guest command, or nil while it runs.
    func guestStatus(_ pid: Int) throws -> (exitCode: Int, stdout: String, stderr: String)? {
        let ret = try agent(#"{"execute":"guest-exec-status","arguments":{"pid":\#(pid)}}"#)["return"] as? [String: Any]
        guard let ret, ret["exited"] as? Bool == true else { return nil }
        func decode(_ key: String) -> String {
            guard let b64 = ret[key] as? String, let data = Data(base64Encoded: b64) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        return (ret["exitcode"] as? Int ?? -1, decode("out-data"), decode("err-data"))
    }

    /// Runs `script` in the guest to its end; throws unless it exits 0.
    @discardableResult
    func runInGuest(_ script: String, timeoutSeconds: Int = 120) throws -> String {
        let pid = try startInGuest(script)
        return try waitInGuest(pid, timeoutSeconds: timeoutSeconds)
    }

    func waitInGuest(_ pid: Int, timeoutSeconds: Int = 120) throws -> String {
        for _ in 0..<(timeoutSeconds * 10) {
            if let status = try guestStatus(pid) {
                guard status.exitCode == 0 else {
                    throw Shell.Failure(
                        command: ["guest command"],
                        output: .init(status: Int32(status.exitCode), stdout: status.stdout, stderr: status.stderr))
                }
                return status.stdout
            }
            usleep(100_000)
        }
        throw Shell.Failure(command: ["guest command"], output: .init(status: -1, stdout: "", stderr: "timed out"))
    }

    func freezeStatus() throws -> String {
        try agent(#"{"execute":"guest-fsfreeze-status"}"#)["return"] as? String ?? ""
    }

    /// The domain's UUID, as libvirt gives it.
    func uuid() throws -> String {
        try TestHost.virsh(["domuuid", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The source path of each disk in the live domain XML, by target.
    func diskSources() throws -> [String: String] {
        let xml = try TestHost.virsh(["dumpxml", name]).stdout
        let document = try XMLDocument(xmlString: xml)
        var result: [String: String] = [:]
        for disk in try document.nodes(forXPath: "/domain/devices/disk") {
            guard let element = disk as? XMLElement,
                let target = try element.nodes(forXPath: "target/@dev").first?.stringValue
            else { continue }
            let source = try element.nodes(forXPath: "source/@file | source/@dev").first?.stringValue
            result[target] = source
        }
        return result
    }

    /// Files beside the disk images other than the images themselves (overlays, snapshots left behind).
    func strayFiles() throws -> [String] {
        let folders = Set(disks.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path })
        let disks = Set(self.disks)
        return try folders.sorted().flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: folder).map { folder + "/" + $0 }
        }.filter { !disks.contains($0) }
    }

    /// Writes 1 MiB of random data to `/mnt/<target>/known` on each disk, syncs, and returns each
    /// file's SHA-256 as the guest computed it.
    func writeKnownFiles(on targets: [String]) throws -> [String] {
        try targets.map { target in
            let out = try runInGuest(
                "dd if=/dev/urandom of=/mnt/\(target)/known bs=64k count=16 2>/dev/null && sync && sha256sum /mnt/\(target)/known"
            )
            return String(out.prefix(64))
        }
    }

    /// How often the guest agent ran its fsfreeze hook with `freeze`.
    func freezeCount() throws -> Int {
        let log = try runInGuest("cat /run/fsfreeze.log 2>/dev/null || true")
        return log.split(separator: "\n").filter { $0 == "freeze" }.count
    }
}
