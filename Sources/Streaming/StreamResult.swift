import Targets

/// What streaming (or reading) one image produced.
public struct StreamResult: Sendable, Equatable {
    /// The guest-visible size of the source, and of the destination image.
    public var virtualSize: UInt64
    /// The data bytes actually written to the destination: holes and zero ranges are not counted.
    public var storedBytes: UInt64
    /// The chunk index of the content, when it was hashed in chunks (format 2).
    public var index: ChunkIndex?
    /// Lowercase hex SHA-256 of the full guest-visible content, zeros included, when it was
    /// hashed whole (format 1): equal to `sha256sum` of the image converted to raw.
    public var sha256: String?
    /// The data bytes read from the source: less than its data when a dirty bitmap said what
    /// changed.
    public var readBytes: UInt64

    public init(
        virtualSize: UInt64, storedBytes: UInt64, index: ChunkIndex? = nil, sha256: String? = nil, readBytes: UInt64 = 0
    ) {
        self.readBytes = readBytes
        self.virtualSize = virtualSize
        self.storedBytes = storedBytes
        self.index = index
        self.sha256 = sha256
    }
}
