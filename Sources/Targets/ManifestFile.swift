/// A file saved with a backup besides its disks (format 2): the domain's UEFI NVRAM or its TPM
/// state, with its digest and where the domain kept it.
public struct ManifestFile: Codable, Sendable, Equatable {
    /// What the file is.
    public enum Role: String, Codable, Sendable {
        /// The UEFI variable store (`<os><nvram>`).
        case nvram
        /// The emulated TPM's state (swtpm's state file).
        case tpmState
    }

    public var role: Role
    /// The file's name inside the backup: `nvram.fd`.
    public var file: String
    /// Its size in bytes.
    public var size: UInt64
    /// Its SHA-256, in lowercase hex.
    public var sha256: String
    /// Where the domain kept it at backup time.
    public var source: String

    public init(role: Role, file: String, size: UInt64, sha256: String, source: String) {
        self.role = role
        self.file = file
        self.size = size
        self.sha256 = sha256
        self.source = source
    }
}
