import Foundation

/// A domain booted at once on qcow2 overlays whose backing files are stored images (a restore
/// `--instant`, or a drill's temporary domain). While it is recorded, the backups it reads from
/// are in use: retention keeps them and delete refuses them.
public struct InstantCopy: Codable, Sendable, Equatable {
    /// One overlay and the stored image beneath it.
    public struct Overlay: Codable, Sendable, Equatable {
        public var target: String
        public var path: String
        public var backupID: String
        /// The stored image the overlay reads through.
        public var backingFile: String

        public init(target: String, path: String, backupID: String, backingFile: String) {
            self.target = target
            self.path = path
            self.backupID = backupID
            self.backingFile = backingFile
        }
    }

    public var domainUUID: String
    public var domainName: String
    /// The VM whose backups the copy reads.
    public var vmUUID: String
    public var vmName: String
    public var overlays: [Overlay]
    /// Other files made for the copy (its NVRAM).
    public var files: [String]
    /// Whether the copy is a drill's, removed when the drill ends.
    public var isDrill: Bool
    public var created: Date

    public init(
        domainUUID: String, domainName: String, vmUUID: String, vmName: String, overlays: [Overlay],
        files: [String] = [], isDrill: Bool = false, created: Date = Date()
    ) {
        self.domainUUID = domainUUID
        self.domainName = domainName
        self.vmUUID = vmUUID
        self.vmName = vmName
        self.overlays = overlays
        self.files = files
        self.isDrill = isDrill
        self.created = created
    }

    /// The backups the copy reads from.
    public var backupIDs: Set<String> { Set(overlays.map(\.backupID)) }
}
