import APIModel

/// The method for a shut-off domain: nothing is snapshotted, the image itself is the backupSource.
public struct OfflineImage: SnapshotMethod {
    public init() {}

    public var name: SnapshotMethodName { .offline }

    public func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        disks.map {
            TakenSnapshot(
                disk: $0, source: BackupSource(target: $0.target, path: $0.sourcePath, format: $0.format),
                artifact: nil)
        }
    }

    public func release(_ snapshot: TakenSnapshot) async throws {}

    public func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] { [] }
}
