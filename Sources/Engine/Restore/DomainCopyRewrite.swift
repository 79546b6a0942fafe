import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One run of `DomainCopy` over a parsed domain XML: the steps edit the document in place and
/// collect what they changed. The steps are independent of each other's order except where noted.
struct DomainCopyRewrite {
    let copy: DomainCopy
    let domain: XMLElement
    let originalName: String
    private(set) var notes: [String] = []
    var macAddresses: [String] = []

    init(copy: DomainCopy, domain: XMLElement, originalName: String) {
        self.copy = copy
        self.domain = domain
        self.originalName = originalName
    }

    var uuidString: String { copy.uuid.uuidString.lowercased() }

    mutating func note(_ line: String) {
        notes.append(line)
    }

    /// Name, UUID (also where SMBIOS repeats it), generation ID and description. A live XML's
    /// `id` goes too.
    mutating func identity() {
        domain.removeAttributes("id")
        let name = domain.child(named: "name") ?? XMLElement(name: "name")
        if name.parent == nil { domain.insertChild(name, at: 0) }
        name.stringValue = copy.name

        domain.removeChildren(named: "uuid")
        domain.insertChild(XMLElement(name: "uuid", stringValue: uuidString), at: name.index + 1)

        // An empty <genid/> makes libvirt draw a new one: the guest (Windows, AD) learns it is a copy.
        if let genid = domain.child(named: "genid") {
            genid.stringValue = ""
        }
        // libvirt refuses an SMBIOS system UUID that differs from the domain's.
        for sysinfo in domain.elements(forName: "sysinfo") {
            for system in sysinfo.elements(forName: "system") {
                for entry in system.elements(forName: "entry") where entry.value(ofAttribute: "name") == "uuid" {
                    entry.stringValue = uuidString
                }
            }
        }

        if let backup = copy.restoredFrom {
            let line = "Restored from backup \(backup) of \(originalName)."
            if let description = domain.child(named: "description") {
                let text = description.stringValue ?? ""
                description.stringValue = text.isEmpty ? line : text + "\n" + line
            } else {
                let after = domain.child(named: "title") ?? domain.child(named: "uuid") ?? name
                domain.insertChild(XMLElement(name: "description", stringValue: line), at: after.index + 1)
            }
        }
    }

    /// A fixed security label (a static `<seclabel>`, or any with a `<label>`) would run the copy
    /// under the original's label; dynamic ones lose the label a live XML shows, so libvirt draws
    /// a new one.
    mutating func securityLabels() {
        let labels = ((try? domain.nodes(forXPath: ".//seclabel")) ?? []).compactMap { $0 as? XMLElement }
        for label in labels {
            if label.value(ofAttribute: "type") == "dynamic" {
                label.removeChildren(named: "label", "imagelabel")
            } else if let fixed = label.child(named: "label")?.stringValue {
                let model = label.value(ofAttribute: "model").map { "\($0) " } ?? ""
                label.detach()
                note("\(model)security label \(fixed) left out: the copy gets its own")
            }
        }
    }
}
