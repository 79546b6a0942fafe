import APIModel

/// A snapshot taken of one disk: its backupSource and what must be undone afterwards.
public struct TakenSnapshot: Sendable, Equatable {
    public var disk: SelectedDisk
    public var source: BackupSource
    /// What the snapshot created outside the daemon and `release` removes: the overlay file, the
    /// snapshot LV, the snapshot subvolume; `nil` when nothing was created.
    public var artifact: String?

    public init(disk: SelectedDisk, source: BackupSource, artifact: String?) {
        self.disk = disk
        self.source = source
        self.artifact = artifact
    }
}

/// One way of turning live disks into read-only backupSources (DESIGN.md "Snapshot methods").
public protocol SnapshotMethod: Sendable {
    var name: SnapshotMethodName { get }

    /// Snapshots all `disks` (every one of this method) at once, while the guest is frozen if at all.
    ///
    /// All or nothing: when it throws, nothing it created remains and the domain runs on its
    /// original images.
    func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot]

    /// Merges or deletes one snapshot so that the disk is back on its original image, then removes
    /// the artifact. Runs to the end even when the calling task is cancelled.
    func release(_ snapshot: TakenSnapshot) async throws

    /// The snapshots of `disks` that backup `backupID` made and that still exist, found by the
    /// names the method gives them, ready for `release`. Crash recovery asks this of a job the
    /// journal says was interrupted. Creates and changes nothing.
    func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot]
}
