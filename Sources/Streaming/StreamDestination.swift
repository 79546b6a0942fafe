/// Where a stream writes the content it reads.
public struct StreamDestination: Sendable, Equatable {
    /// A local path: a file, or a block device for a disk restored in place.
    public var path: String
    /// `qcow2` or `raw`.
    public var format: String
    /// Whether the stream creates the image (`qemu-img create`; the path must not exist) or writes
    /// over one that exists, zero ranges included.
    public var isNew: Bool

    public init(path: String, format: String, isNew: Bool) {
        self.path = path
        self.format = format
        self.isNew = isNew
    }

    /// A new image of `format` at `path`.
    public static func new(_ path: String, format: String = "qcow2") -> StreamDestination {
        StreamDestination(path: path, format: format, isNew: true)
    }

    /// The image or device at `path`, overwritten.
    public static func existing(_ path: String, format: String) -> StreamDestination {
        StreamDestination(path: path, format: format, isNew: false)
    }
}
