import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension DomainCopyRewrite {
    /// Gives every interface a new MAC address and lets libvirt name its host-side device, or
    /// leaves all interfaces out without `keepNetwork`. Interfaces that pass a host device through
    /// (`hostdev`) or serve a vhost-user socket stay with the original.
    mutating func interfaces(using generator: inout some RandomNumberGenerator) {
        let interfaces = domain.devices(named: "interface")
        guard copy.keepNetwork else {
            interfaces.forEach { $0.detach() }
            if !interfaces.isEmpty { note("network interfaces left out (\(interfaces.count)): no network") }
            return
        }
        var taken = Set(interfaces.compactMap { $0.child(named: "mac")?.value(ofAttribute: "address")?.lowercased() })
        for interface in interfaces {
            let old = interface.child(named: "mac")?.value(ofAttribute: "address")?.lowercased()
            let type = interface.value(ofAttribute: "type") ?? "?"
            if type == "hostdev" || type == "vhostuser" {
                interface.detach()
                note("\(type) interface \(old ?? "") left out: it uses a host resource of the original")
                continue
            }
            var mac = Self.randomMAC(using: &generator)
            while taken.contains(mac) { mac = Self.randomMAC(using: &generator) }
            taken.insert(mac)
            macAddresses.append(mac)
            if let element = interface.child(named: "mac") {
                element.setValue(mac, ofAttribute: "address")
            } else {
                interface.insertChild(XMLElement.make("mac", ["address": mac]), at: 0)
            }
            // A fixed tap or macvtap name (`<target dev>`) exists once per host.
            interface.removeChildren(named: "target")
            note("interface \(old.map { "\($0) " } ?? "")gets MAC address \(mac)")
        }
    }

    /// A MAC address in QEMU's locally administered range, 52:54:00:xx:xx:xx.
    static func randomMAC(using generator: inout some RandomNumberGenerator) -> String {
        let bytes = [0x52, 0x54, 0x00] + (0..<3).map { _ in Int(UInt8.random(in: .min ... .max, using: &generator)) }
        return bytes.map { String(repeating: "0", count: $0 < 16 ? 1 : 0) + String($0, radix: 16) }
            .joined(separator: ":")
    }
}
