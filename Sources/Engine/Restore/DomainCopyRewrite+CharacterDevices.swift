import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension DomainCopyRewrite {
    /// Serial ports, consoles, parallel ports and channels: none may write to the original's files
    /// or bind its sockets. `<log>` files go; a file device writes to `characterDeviceFolder`
    /// (a console that mirrors a serial port follows it to the same file) or becomes a pty; a unix
    /// channel loses its path, so libvirt makes one for the copy; any other host socket, device or
    /// pipe becomes a pty. Devices that use no host resource (pty, null, vc, spicevmc, ...) stay.
    mutating func characterDevices() {
        var files: [String: String] = [:]
        for kind in ["serial", "console", "parallel", "channel"] {
            for (index, device) in domain.devices(named: kind).enumerated() {
                rewrite(device, kind: kind, index: index, files: &files)
            }
        }
    }

    private mutating func rewrite(_ device: XMLElement, kind: String, index: Int, files: inout [String: String]) {
        let label = "\(kind) \(index)"
        if !device.elements(forName: "log").isEmpty {
            device.removeChildren(named: "log")
            note("\(label): its log file left out")
        }
        // A live XML names the pty the original got and whether its agent is connected.
        device.removeAttributes("tty")
        device.child(named: "target")?.removeAttributes("state")
        let source = device.child(named: "source")
        let path = source?.value(ofAttribute: "path")
        switch device.value(ofAttribute: "type") ?? "pty" {
        case "pty":
            source?.removeAttributes("path")
            if let source, source.attributes?.isEmpty ?? true, source.childCount == 0 { source.detach() }
        case "file":
            guard let folder = copy.characterDeviceFolder, let path else {
                Self.makePTY(device)
                note("\(label) is a pty: it wrote to \(path ?? "a file")")
                return
            }
            let new =
                files[path] ?? (folder.hasSuffix("/") ? String(folder.dropLast()) : folder) + "/\(kind)\(index).log"
            files[path] = new
            source?.setValue(new, ofAttribute: "path")
            note("\(label) writes to \(new)")
        case "unix" where kind == "channel" && source?.value(ofAttribute: "mode") != "connect":
            source?.removeAttributes("path")
        case "unix", "tcp", "udp", "dev", "pipe", "nmdm":
            Self.makePTY(device)
            note("\(label) is a pty: it used \(path ?? "a host socket")")
        default:
            break
        }
    }

    /// Turns a character device into a pty, keeping its guest side (target, address, alias).
    private static func makePTY(_ device: XMLElement) {
        device.setValue("pty", ofAttribute: "type")
        device.removeChildren(named: "source", "protocol")
    }
}
