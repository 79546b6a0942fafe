import Foundation

extension BtrfsSnapshot {
    /// The snapshot subvolumes backup `backupID` made of the subvolumes holding `disks`' images
    /// and that still exist: `<subvolume>/.vmbackup-<backupID>`. `release` deletes them.
    public func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        guard Self.isUsableInFileName(backupID) else { return [] }
        return try await executor.run {
            var found: [TakenSnapshot] = []
            for disk in disks where disk.kind == .file {
                let (subvolume, relativePath) = try locate(disk)
                let snapshot = Self.snapshotPath(forSubvolume: subvolume, backupID: backupID)
                guard (try? FileManager.default.attributesOfItem(atPath: snapshot)) != nil else { continue }
                found.append(
                    TakenSnapshot(
                        disk: disk,
                        source: BackupSource(
                            target: disk.target, path: snapshot + "/" + relativePath, format: disk.format),
                        artifact: snapshot))
            }
            return found
        }
    }
}
