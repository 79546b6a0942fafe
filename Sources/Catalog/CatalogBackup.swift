import APIModel
import Foundation
import Targets

/// One backup as the catalog knows it: what its manifest says and where it lies.
public struct CatalogBackup: Sendable, Equatable {
    public var vmUUID: String
    /// The backup id, e.g. `20261122T013000Z-3f9a`.
    public var id: String
    /// The VM's name when the backup was made.
    public var vmName: String
    public var name: String?
    /// Free text an administrator attached to the backup.
    public var description: String?
    public var created: Date
    /// The backup this one is an incremental of.
    public var parent: String?
    /// Whether `parent` names a backup the catalog does not have (it was removed, or lies on a
    /// target not yet rebuilt). Such a backup is listed among the roots.
    public var missingParent: Bool
    public var consistency: Consistency
    /// Whether retention and deletion must leave the backup alone.
    public var isProtected: Bool
    /// The backup's folder on the target.
    public var location: String
    /// The name of the target holding the backup (`default` for the directory target).
    public var target: String
    /// The manifest as stored on the target when the backup was last indexed.
    public var manifest: Manifest
    /// The backup's last verification; `nil` when it was never verified.
    public var verification: Verification?

    public init(
        vmUUID: String, id: String, vmName: String, name: String? = nil, description: String? = nil,
        created: Date, parent: String? = nil, missingParent: Bool = false, consistency: Consistency,
        isProtected: Bool = false, location: String, target: String, manifest: Manifest,
        verification: Verification? = nil
    ) {
        self.vmUUID = vmUUID
        self.id = id
        self.vmName = vmName
        self.name = name
        self.description = description
        self.created = created
        self.parent = parent
        self.missingParent = missingParent
        self.consistency = consistency
        self.isProtected = isProtected
        self.location = location
        self.target = target
        self.manifest = manifest
        self.verification = verification
    }

    /// Whether the backup's last verification found a problem: retention keeps it, and it is
    /// shown as failed.
    public var failedVerification: Bool { verification?.ok == false }

    /// The disks of the backup, as the manifest lists them.
    public var disks: [DiskSummary] { manifest.disks.map { $0.summary() } }

    /// The backup as the socket API lists it.
    public func summary() -> BackupSummary {
        BackupSummary(
            id: id, name: name, vmName: vmName, vmUUID: vmUUID, created: created, parent: parent,
            consistency: consistency, disks: disks, location: location, description: description,
            protected: isProtected, target: target, verification: verification, level: manifest.storedLevel,
            fullReason: manifest.fullReason)
    }

    /// Orders backups oldest first; backups of the same second by id.
    static func isOlder(_ lhs: CatalogBackup, _ rhs: CatalogBackup) -> Bool {
        (lhs.created, lhs.id) < (rhs.created, rhs.id)
    }
}
