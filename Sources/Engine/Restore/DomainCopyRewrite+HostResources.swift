import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension DomainCopyRewrite {
    /// VNC, SPICE and RDP listen on ports (and sockets) libvirt picks for the copy.
    mutating func graphics() {
        for graphics in domain.devices(named: "graphics") {
            var fixed: [String] = []
            let automatic = graphics.value(ofAttribute: "autoport") == "yes"
            for (attribute, what) in [("port", "port"), ("tlsPort", "TLS port")] {
                guard let value = graphics.value(ofAttribute: attribute) else { continue }
                graphics.removeAttributes(attribute)
                if !automatic && value != "-1" { fixed.append("\(what) \(value)") }
            }
            if graphics.attribute(forName: "autoport") != nil || !fixed.isEmpty {
                graphics.setValue("yes", ofAttribute: "autoport")
            }
            if let websocket = graphics.value(ofAttribute: "websocket"), websocket != "-1" {
                graphics.setValue("-1", ofAttribute: "websocket")
                fixed.append("websocket port \(websocket)")
            }
            for element in [graphics] + graphics.elements(forName: "listen") {
                guard let socket = element.value(ofAttribute: "socket") else { continue }
                element.removeAttributes("socket")
                if !fixed.contains("socket \(socket)") { fixed.append("socket \(socket)") }
            }
            if !fixed.isEmpty {
                let type = graphics.value(ofAttribute: "type") ?? "?"
                note("\(type) graphics: libvirt picks what was \(fixed.joined(separator: ", "))")
            }
        }
    }

    /// The UEFI NVRAM file is `nvramPath`, or one libvirt creates from the firmware's template.
    /// An emulated TPM stays: swtpm keeps its state under the domain's UUID, so the copy's new
    /// UUID gives it a state of its own; a state path the XML names (newer libvirt) is dropped
    /// for the same reason. A host (passthrough) or external TPM is left out.
    mutating func firmwareState() {
        if let os = domain.child(named: "os") {
            nvram(in: os)
        }
        for tpm in domain.devices(named: "tpm") {
            let backend = tpm.child(named: "backend")
            let type = backend?.value(ofAttribute: "type") ?? "passthrough"
            if type == "emulator" {
                backend?.removeChildren(named: "source")
            } else {
                tpm.detach()
                note("\(type) TPM left out: the original uses it")
            }
        }
    }

    private mutating func nvram(in os: XMLElement) {
        let element = os.child(named: "nvram")
        let old = element.flatMap { $0.child(named: "source")?.value(ofAttribute: "file") ?? $0.stringValue }
        if let path = copy.nvramPath {
            guard element != nil || os.child(named: "loader") != nil || os.value(ofAttribute: "firmware") == "efi"
            else { return }
            let nvram = element ?? XMLElement(name: "nvram")
            if nvram.parent == nil { os.addChild(nvram) }
            nvram.removeAttributes("type")
            nvram.setChildren(nil)
            nvram.stringValue = path
            note("NVRAM in \(path)")
        } else if let nvram = element {
            nvram.removeAttributes("type")
            nvram.setChildren(nil)
            if nvram.attributes?.isEmpty ?? true { nvram.detach() }
            note("NVRAM file left to libvirt\(old.map { $0.isEmpty ? "" : " (was \($0))" } ?? "")")
        }
    }

    /// Devices bound to one domain on the host: host devices, host folders, leases, shared memory,
    /// host input devices and file-backed memory devices are left out; a fixed vsock CID becomes
    /// automatic.
    mutating func hostResources() {
        for hostdev in domain.devices(named: "hostdev") {
            hostdev.detach()
            note("host device \(Self.describe(hostdev)) left out: the original holds it")
        }
        for filesystem in domain.devices(named: "filesystem") where filesystem.value(ofAttribute: "type") != "ram" {
            filesystem.detach()
            let target = filesystem.child(named: "target")?.value(ofAttribute: "dir") ?? "?"
            note("filesystem \(target) left out: it shares a folder of the host with the original")
        }
        for lease in domain.devices(named: "lease") {
            lease.detach()
            note("lease \(lease.child(named: "key")?.stringValue ?? "?") left out: the original holds it")
        }
        for shmem in domain.devices(named: "shmem") {
            shmem.detach()
            note("shared memory \(shmem.value(ofAttribute: "name") ?? "?") left out: the original uses it")
        }
        for input in domain.devices(named: "input") {
            guard let type = input.value(ofAttribute: "type"), type == "evdev" || type == "passthrough" else {
                continue
            }
            input.detach()
            note("host input device left out: the original holds it")
        }
        for memory in domain.devices(named: "memory") where memory.child(named: "source")?.child(named: "path") != nil {
            memory.detach()
            note("\(memory.value(ofAttribute: "model") ?? "memory") device left out: its file belongs to the original")
        }
        for vsock in domain.devices(named: "vsock") {
            guard let cid = vsock.child(named: "cid"), cid.value(ofAttribute: "auto") != "yes" else { continue }
            let address = cid.value(ofAttribute: "address") ?? "?"
            cid.setValue("yes", ofAttribute: "auto")
            cid.removeAttributes("address")
            note("vsock: libvirt picks the CID (was \(address))")
        }
    }

    /// A host device as `virsh nodedev-list` would name it, roughly: `pci 0000:03:00.0`.
    private static func describe(_ hostdev: XMLElement) -> String {
        let type = hostdev.value(ofAttribute: "type") ?? "device"
        guard let address = hostdev.child(named: "source")?.child(named: "address") else { return type }
        func part(_ name: String, _ width: Int) -> String {
            let value = address.value(ofAttribute: name) ?? "0"
            let digits = value.hasPrefix("0x") ? String(value.dropFirst(2)) : value
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        guard type == "pci" else { return type }
        return "pci \(part("domain", 4)):\(part("bus", 2)):\(part("slot", 2)).\(part("function", 1))"
    }
}
