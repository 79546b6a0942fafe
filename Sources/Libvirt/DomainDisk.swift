/// One `<disk>` of a domain's XML.
public struct DomainDisk: Sendable, Equatable {
    /// `disk`, `cdrom`, `floppy` or `lun`.
    public var device: String
    /// `file`, `block`, `dir`, `network` or `volume`.
    public var type: String
    /// The guest-facing name, e.g. `vda`.
    public var target: String
    /// The image file (`<source file>`), device (`<source dev>`) or folder (`<source dir>`);
    /// `nil` for network and volume disks and for an empty cdrom.
    public var sourcePath: String?
    /// The format QEMU opens the image with (`<driver type>`), e.g. `qcow2` or `raw`.
    public var format: String?
    public var readOnly: Bool
    /// `virtio`, `scsi`, `sata`, `ide`, ...
    public var bus: String?

    public init(
        device: String, type: String, target: String, sourcePath: String?, format: String?, readOnly: Bool,
        bus: String?
    ) {
        self.device = device
        self.type = type
        self.target = target
        self.sourcePath = sourcePath
        self.format = format
        self.readOnly = readOnly
        self.bus = bus
    }
}
