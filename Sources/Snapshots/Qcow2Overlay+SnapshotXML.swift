import Libvirt

extension Qcow2Overlay {
    /// The `<domainsnapshot>` for `virDomainSnapshotCreateXML`: an external qcow2 overlay for each
    /// disk in `overlays` (target dev -> overlay path), `snapshot='no'` for every other disk.
    static func snapshotXML(name: String, domainDisks: [DomainDisk], overlays: [String: String]) -> String {
        var lines = [
            "<domainsnapshot>",
            "  <name>\(escape(name))</name>",
            "  <description>vmbackup backup snapshot</description>",
            "  <disks>",
        ]
        for disk in domainDisks {
            if let overlay = overlays[disk.target] {
                lines.append("    <disk name='\(escape(disk.target))' snapshot='external' type='file'>")
                lines.append("      <driver type='qcow2'/>")
                lines.append("      <source file='\(escape(overlay))'/>")
                lines.append("    </disk>")
            } else {
                lines.append("    <disk name='\(escape(disk.target))' snapshot='no'/>")
            }
        }
        lines.append(contentsOf: ["  </disks>", "</domainsnapshot>"])
        return lines.joined(separator: "\n")
    }

    /// Escapes text for an XML attribute or element.
    static func escape(_ text: String) -> String { XMLEscaping.escape(text) }
}
