import APIModel
import Foundation

/// `manifest.json`: everything needed to list and restore a backup from the target alone.
///
/// Written last, after every other file of the backup is on stable storage; a backup folder
/// without a readable manifest is not a backup. Encoded pretty-printed with sorted keys and
/// ISO 8601 dates (whole seconds).
public struct Manifest: Codable, Sendable, Equatable {
    /// The version of this format written now; readers refuse versions they do not know.
    /// Version 2 (docs/FORMAT.md) adds a chunk index per disk and the domain's NVRAM and TPM
    /// state; version 1 backups (a SHA-256 of each disk's whole content) keep reading.
    public static let currentSchemaVersion = 2
    /// Every version this reader knows.
    public static let readableSchemaVersions: ClosedRange<Int> = 1...2
    public static let fileName = "manifest.json"

    public var schemaVersion: Int
    public var vmName: String
    public var vmUUID: String
    public var backupID: String
    public var name: String?
    public var created: Date
    /// The backup this one stores the changes since (an incremental's or a differential's).
    public var parent: String?
    /// `full`, `incremental` or `differential`; absent in the file (and `nil`) for backups written
    /// before levels existed, which are full.
    public var level: BackupLevel?
    /// Why the backup is full although an incremental, a differential or `auto` was asked for (no
    /// parent, a broken chain, a chain too long or too old), as `show` and `list` tell it.
    public var fullReason: String?
    /// The libvirt checkpoint made with the backup (`vmbackup-<backup-id>`): its dirty bitmaps in
    /// the VM's qcow2 disks record every write since, for the next incremental to read only those.
    public var checkpoint: String?
    public var consistency: Consistency
    public var disks: [ManifestDisk]
    /// Free text an administrator attached to the backup.
    public var description: String?
    /// A protected backup is never removed by retention, nor deleted until unprotected.
    public var protected: Bool
    /// Files saved besides the disks: the domain's UEFI NVRAM and TPM state (format 2).
    public var files: [ManifestFile]

    /// `created` is kept to the whole second, as the file stores it.
    public init(
        schemaVersion: Int = Manifest.currentSchemaVersion, vmName: String, vmUUID: String, backupID: String,
        name: String? = nil, created: Date, parent: String? = nil, consistency: Consistency, disks: [ManifestDisk],
        description: String? = nil, protected: Bool = false, files: [ManifestFile] = [], level: BackupLevel? = nil,
        fullReason: String? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.vmName = vmName
        self.vmUUID = vmUUID
        self.backupID = backupID
        self.name = name
        self.created = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
        self.parent = parent
        self.consistency = consistency
        self.disks = disks
        self.description = description
        self.protected = protected
        self.files = files
        self.level = level
        self.fullReason = fullReason
    }

    /// The level the backup was stored at: `full` for backups written before levels existed.
    public var storedLevel: BackupLevel { level ?? (parent == nil ? .full : .incremental) }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, vmName, vmUUID, backupID, name, created, parent, consistency, disks, description, protected
        case files, level, fullReason, checkpoint
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(vmName, forKey: .vmName)
        try container.encode(vmUUID, forKey: .vmUUID)
        try container.encode(backupID, forKey: .backupID)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(created, forKey: .created)
        try container.encodeIfPresent(parent, forKey: .parent)
        try container.encode(consistency, forKey: .consistency)
        try container.encode(disks, forKey: .disks)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(protected, forKey: .protected)
        if !files.isEmpty { try container.encode(files, forKey: .files) }
        try container.encodeIfPresent(level, forKey: .level)
        try container.encodeIfPresent(fullReason, forKey: .fullReason)
        try container.encodeIfPresent(checkpoint, forKey: .checkpoint)
    }

    /// Reads every field; `description`, `protected` and `files` are optional in the file (absent
    /// means none, not protected, no files), so manifests written before they existed still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        vmName = try container.decode(String.self, forKey: .vmName)
        vmUUID = try container.decode(String.self, forKey: .vmUUID)
        backupID = try container.decode(String.self, forKey: .backupID)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        created = try container.decode(Date.self, forKey: .created)
        parent = try container.decodeIfPresent(String.self, forKey: .parent)
        consistency = try container.decode(Consistency.self, forKey: .consistency)
        disks = try container.decode([ManifestDisk].self, forKey: .disks)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        protected = try container.decodeIfPresent(Bool.self, forKey: .protected) ?? false
        files = try container.decodeIfPresent([ManifestFile].self, forKey: .files) ?? []
        level = try container.decodeIfPresent(BackupLevel.self, forKey: .level)
        fullReason = try container.decodeIfPresent(String.self, forKey: .fullReason)
        checkpoint = try container.decodeIfPresent(String.self, forKey: .checkpoint)
    }

    /// The file's bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Reads a manifest file's bytes; throws `ManifestError` for bytes that are not JSON, a field
    /// missing or of the wrong type, or an unknown schema version.
    public static func decode(_ data: Data) throws(ManifestError) -> Manifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: Manifest
        do {
            manifest = try decoder.decode(Manifest.self, from: data)
        } catch let error as DecodingError {
            throw ManifestError(error)
        } catch {
            throw ManifestError(field: nil, problem: "cannot be read: \(error.localizedDescription)")
        }
        guard readableSchemaVersions.contains(manifest.schemaVersion) else {
            throw ManifestError(
                field: "schemaVersion",
                problem: "\(manifest.schemaVersion) is not a version this vmbackup reads (\(readableSchemaVersions))")
        }
        return manifest
    }
}
