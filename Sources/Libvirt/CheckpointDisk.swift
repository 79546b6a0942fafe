/// One `<disk>` of a checkpoint's XML.
public struct CheckpointDisk: Sendable, Equatable {
    /// The target dev, e.g. `vda`.
    public var name: String
    /// Whether the checkpoint tracks the disk (`checkpoint='bitmap'`) rather than leaving it out.
    public var hasBitmap: Bool
    /// The dirty bitmap's name in the qcow2 image.
    public var bitmap: String?
    /// The bytes written to the disk since the checkpoint, when the XML was asked with sizes
    /// (`VIR_DOMAIN_CHECKPOINT_XML_SIZE`, running domains only).
    public var changedBytes: UInt64?

    public init(name: String, hasBitmap: Bool, bitmap: String?, changedBytes: UInt64?) {
        self.name = name
        self.hasBitmap = hasBitmap
        self.bitmap = bitmap
        self.changedBytes = changedBytes
    }
}
