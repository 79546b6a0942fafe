import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads what the daemon needs from a checkpoint's XML (`virDomainCheckpointGetXMLDesc`).
public enum CheckpointXML {
    /// Every `<disk>` of the checkpoint, in document order.
    public static func disks(fromCheckpointXML xml: String) throws -> [CheckpointDisk] {
        let document = try XMLDocument(xmlString: xml, options: [])
        let nodes = try document.nodes(forXPath: "/domaincheckpoint/disks/disk")
        return try nodes.compactMap { $0 as? XMLElement }.map(disk(from:))
    }

    private static func disk(from element: XMLElement) throws -> CheckpointDisk {
        guard let name = element.attribute(forName: "name")?.stringValue else {
            throw CheckpointXMLError.diskWithoutName
        }
        let mode = element.attribute(forName: "checkpoint")?.stringValue ?? "bitmap"
        return CheckpointDisk(
            name: name,
            hasBitmap: mode == "bitmap",
            bitmap: element.attribute(forName: "bitmap")?.stringValue,
            changedBytes: element.attribute(forName: "size")?.stringValue.flatMap { UInt64($0) })
    }
}
