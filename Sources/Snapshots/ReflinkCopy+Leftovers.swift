import Foundation

extension ReflinkCopy {
    /// The clones backup `backupID` made of `disks`' images and that still exist:
    /// `<folder>/.vmbackup-<backupID>-<file>`. `release` deletes them.
    public func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        disks.compactMap { disk in
            guard disk.kind == .file else { return nil }
            let clone = Self.clonePath(of: disk.sourcePath, backupID: backupID)
            guard FileManager.default.fileExists(atPath: clone) else { return nil }
            return TakenSnapshot(
                disk: disk, source: BackupSource(target: disk.target, path: clone, format: disk.format),
                artifact: clone)
        }
    }
}
