import APIModel

/// The method for a shut-off domain: nothing is snapshotted, the image itself is the backupSource.
public struct OfflineImage: SnapshotMethod {
    public init() {}

    public init(_ environment: SnapshotEnvironment) {}

    public static var methodName: SnapshotMethodName { .offline }

    public static func impossibility(kind: DiskKind, facts: DiskFacts) -> String? {
        "offline is chosen by itself for a shut-off domain"
    }

    /// Never chosen for a running domain: planning picks it for every disk of a shut-off one.
    public static func isDefault(kind: DiskKind, facts: DiskFacts) -> Bool { false }

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
