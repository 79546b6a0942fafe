import GRDB

/// A VM as its backups in the catalog describe it, whether or not libvirt still defines it.
public struct CatalogVM: Sendable, Equatable {
    public var vmUUID: String
    /// The VM's name in its newest backup.
    public var vmName: String
    public var backupCount: Int
    /// The newest backup, as `latest` names it.
    public var latest: CatalogBackup
    /// The bytes its backups' images take on their targets, summed over every stored disk.
    public var storedBytes: UInt64

    public init(vmUUID: String, vmName: String, backupCount: Int, latest: CatalogBackup, storedBytes: UInt64) {
        self.vmUUID = vmUUID
        self.vmName = vmName
        self.backupCount = backupCount
        self.latest = latest
        self.storedBytes = storedBytes
    }
}

extension BackupCatalog {
    /// Every VM that has backups, by UUID, each with its count, newest backup and stored bytes;
    /// read in one pass over the catalog.
    public func vms() async throws(CatalogError) -> [CatalogVM] {
        let backups = try await read("list the VMs with backups") { db in
            try BackupRow.all().oldestFirst().fetchAll(db).map { row throws(CatalogError) in try row.catalogBackup() }
        }
        return Dictionary(grouping: backups, by: \.vmUUID).values.compactMap { backups -> CatalogVM? in
            // Oldest first: the last is the newest.
            guard let latest = backups.last else { return nil }
            let stored = backups.flatMap(\.manifest.disks).filter { $0.excluded == nil }
            return CatalogVM(
                vmUUID: latest.vmUUID, vmName: latest.vmName, backupCount: backups.count, latest: latest,
                storedBytes: stored.reduce(0) { $0 + ($1.storedBytes ?? 0) })
        }.sorted { $0.vmUUID < $1.vmUUID }
    }
}
