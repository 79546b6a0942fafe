import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads what the daemon needs from a domain's XML (`virDomainGetXMLDesc`).
public enum DomainXML {
    /// Every `<disk>` under `<devices>`, in document order. Host device passthrough (`<hostdev>`)
    /// is not a disk and is not listed.
    public static func disks(fromDomainXML xml: String) throws -> [DomainDisk] {
        let document = try XMLDocument(xmlString: xml, options: [])
        let nodes = try document.nodes(forXPath: "/domain/devices/disk")
        return try nodes.compactMap { $0 as? XMLElement }.map(disk(from:))
    }

    private static func disk(from element: XMLElement) throws -> DomainDisk {
        guard let target = element.firstChild(named: "target")?.attributeValue("dev") else {
            throw DomainXMLError.diskWithoutTarget
        }
        let type = element.attributeValue("type") ?? "file"
        let source = element.firstChild(named: "source")
        let sourcePath: String? =
            switch type {
            case "file": source?.attributeValue("file")
            case "block": source?.attributeValue("dev")
            case "dir": source?.attributeValue("dir")
            default: nil
            }
        return DomainDisk(
            device: element.attributeValue("device") ?? "disk",
            type: type,
            target: target,
            sourcePath: sourcePath,
            format: element.firstChild(named: "driver")?.attributeValue("type"),
            readOnly: element.firstChild(named: "readonly") != nil,
            bus: element.firstChild(named: "target")?.attributeValue("bus"))
    }
}

/// Why a domain XML could not be read.
public enum DomainXMLError: Error, Sendable, CustomStringConvertible {
    case diskWithoutTarget

    public var description: String {
        switch self {
        case .diskWithoutTarget: "domain XML has a <disk> without <target dev=...>"
        }
    }
}

extension XMLElement {
    fileprivate func firstChild(named name: String) -> XMLElement? {
        elements(forName: name).first
    }

    fileprivate func attributeValue(_ name: String) -> String? {
        attribute(forName: name)?.stringValue
    }
}
