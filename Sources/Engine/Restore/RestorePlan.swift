import APIModel
import Catalog
import Streaming
import Targets

/// Everything a restore job does, decided before it is queued: which stored disk goes where,
/// checked against what, and what becomes of the domain. Made by ``RestorePlanner``.
struct RestorePlan: Sendable {
    /// One disk to write.
    struct Disk: Sendable {
        var target: String
        /// The backup it comes from, and where that backup lies.
        var backupID: String
        var vmUUID: String
        var targetName: String
        /// The stored disk as its manifest describes it.
        var stored: ManifestDisk
        /// Where it goes: a new image, or the domain's own disk.
        var destination: StreamDestination
        /// For an instant restore: the stored image the new overlay reads through.
        var backingFile: String?

        /// How the content is hashed while it is copied: what the backup's format records.
        var hashing: ContentHashing {
            if let chunkSize = stored.chunkSize, stored.index != nil { return .chunks(size: chunkSize) }
            return .whole
        }
    }

    /// A state file (UEFI NVRAM, TPM state) to write back, from the backup that holds it.
    struct StateFile: Sendable {
        var file: ManifestFile
        var backupID: String
        var vmUUID: String
        var targetName: String
        /// Where it goes.
        var path: String
        /// What undoing a restore that wrote it removes: the file, or the folder made for it (a
        /// new domain's swtpm folder, `/var/lib/libvirt/swtpm/<uuid>`).
        var removes: String

        init(file: ManifestFile, from backup: CatalogBackup, path: String, removes: String? = nil) {
            self.file = file
            self.backupID = backup.id
            self.vmUUID = backup.vmUUID
            self.targetName = backup.target
            self.path = path
            self.removes = removes ?? path
        }
    }

    var vmName: String
    var vmUUID: String
    /// The backup named in the request: its domain XML defines a new domain.
    var backupID: String
    var mode: RestoreSummary.Mode
    var disks: [Disk]
    var stateFiles: [StateFile]
    /// `domain`: the new domain's name and the definition to give it.
    var newDomain: DomainCopy.Definition?
    var newDomainName: String?
    /// `inPlace`: shut the domain down first when it runs.
    var shutDownFirst: Bool
    var start: RestoreRequest.Start?
    /// `domain`: boot on overlays of the stored images instead of copies.
    var instant = false
    /// An instant copy made for a drill: removed when the drill ends.
    var isDrill = false

    /// The bytes the job copies: every disk's guest-visible size (nothing for an instant restore).
    var totalBytes: UInt64 { instant ? 0 : disks.reduce(0) { $0 + ($1.stored.virtualSize ?? 0) } }
}
