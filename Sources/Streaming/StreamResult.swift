/// What streaming one backupSource produced.
public struct StreamResult: Sendable, Equatable {
    /// The guest-visible size of the source, and of the destination image.
    public var virtualSize: UInt64
    /// The data bytes actually written to the destination: holes and zero ranges are not counted.
    public var storedBytes: UInt64
    /// Lowercase hex SHA-256 of the full guest-visible content, zeros included: equal to
    /// `sha256sum` of the image converted to raw.
    public var sha256: String

    public init(virtualSize: UInt64, storedBytes: UInt64, sha256: String) {
        self.virtualSize = virtualSize
        self.storedBytes = storedBytes
        self.sha256 = sha256
    }
}
