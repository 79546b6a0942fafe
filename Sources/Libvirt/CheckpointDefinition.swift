/// A checkpoint to create: its name and which disks start a dirty bitmap there.
public struct CheckpointDefinition: Sendable, Equatable {
    public var name: CheckpointName
    /// Target devs (`vda`) that get a persistent dirty bitmap named like the checkpoint. Each must
    /// be a qcow2 image: QEMU keeps persistent bitmaps only in qcow2.
    public var bitmapDisks: [String]
    /// Target devs the checkpoint leaves out (`checkpoint='no'`): raw images, excluded disks.
    public var skippedDisks: [String]

    public init(name: CheckpointName, bitmapDisks: [String], skippedDisks: [String] = []) {
        self.name = name
        self.bitmapDisks = bitmapDisks
        self.skippedDisks = skippedDisks
    }

    /// The `<domaincheckpoint>` for `virDomainCheckpointCreateXML` or the checkpoint argument of
    /// `virDomainBackupBegin`. Every disk is named, so libvirt applies no defaults of its own.
    public var xml: String {
        var lines = [
            "<domaincheckpoint>",
            "  <name>\(XMLEscaping.escape(name.rawValue))</name>",
            "  <description>vmbackup changed-block tracking</description>",
            "  <disks>",
        ]
        for disk in bitmapDisks {
            lines.append("    <disk name='\(XMLEscaping.escape(disk))' checkpoint='bitmap'/>")
        }
        for disk in skippedDisks {
            lines.append("    <disk name='\(XMLEscaping.escape(disk))' checkpoint='no'/>")
        }
        lines.append(contentsOf: ["  </disks>", "</domaincheckpoint>"])
        return lines.joined(separator: "\n")
    }
}
