import APIModel

/// Whether a disk's source is a file or a block device.
public enum DiskKind: String, Sendable, Codable {
    case file
    case block
}

/// A disk of the domain chosen for backup, with the method that will snapshot it.
public struct SelectedDisk: Sendable, Equatable {
    /// The guest-facing name, e.g. `vda`.
    public var target: String
    public var kind: DiskKind
    /// The image or device the domain runs on now.
    public var sourcePath: String
    /// The image format libvirt opens it with: `qcow2` or `raw`.
    public var format: String
    public var method: SnapshotMethodName

    public init(target: String, kind: DiskKind, sourcePath: String, format: String, method: SnapshotMethodName) {
        self.target = target
        self.kind = kind
        self.sourcePath = sourcePath
        self.format = format
        self.method = method
    }
}
