import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads what a reader needs from a running backup job's XML (`virDomainBackupGetXMLDesc`).
public enum BackupJobXML {
    /// Every disk the job backs up (`backup='yes'`, or no attribute), in document order.
    ///
    /// A disk without `exportname` is exported under its target dev: libvirt's default, and what
    /// libvirt 9.0 reports after libvirtd restarted during the job, when it no longer writes the
    /// attribute although the export is unchanged.
    public static func disks(fromBackupXML xml: String) throws -> [BackupJobDisk] {
        let document = try XMLDocument(xmlString: xml, options: [])
        let nodes = try document.nodes(forXPath: "/domainbackup/disks/disk")
        return try nodes.compactMap { $0 as? XMLElement }
            .filter { ($0.attribute(forName: "backup")?.stringValue ?? "yes") == "yes" }
            .map(disk(from:))
    }

    /// The Unix socket the job's NBD server listens on.
    public static func socketPath(fromBackupXML xml: String) throws -> String? {
        let document = try XMLDocument(xmlString: xml, options: [])
        let server = try document.nodes(forXPath: "/domainbackup/server").first as? XMLElement
        return server?.attribute(forName: "socket")?.stringValue
    }

    private static func disk(from element: XMLElement) throws -> BackupJobDisk {
        guard let name = element.attribute(forName: "name")?.stringValue else {
            throw BackupJobXMLError.diskWithoutName
        }
        let scratch = element.elements(forName: "scratch").first
        return BackupJobDisk(
            name: name,
            exportName: element.attribute(forName: "exportname")?.stringValue ?? name,
            exportBitmap: element.attribute(forName: "exportbitmap")?.stringValue,
            incrementalSince: element.attribute(forName: "incremental")?.stringValue,
            scratchPath: scratch?.attribute(forName: "file")?.stringValue)
    }
}
