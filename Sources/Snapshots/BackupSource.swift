/// The read-only image a disk is streamed from: the previous top image after a qcow2 overlay, the
/// snapshot LV, the file inside a btrfs snapshot, or the image of a shut-off domain.
public struct BackupSource: Sendable, Equatable {
    /// The disk's target dev, e.g. `vda`.
    public var target: String
    public var path: String
    /// `qcow2` or `raw`: how QEMU's tools must open `path` to read the guest-visible content.
    public var format: String

    public init(target: String, path: String, format: String) {
        self.target = target
        self.path = path
        self.format = format
    }
}
