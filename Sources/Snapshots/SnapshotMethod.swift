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
///
/// A method is one type: it says which disks it can take and why not, whether it is the one
/// chosen by itself for a disk, how to snapshot and release, and what a job's leftovers look
/// like. ``SnapshotMethods`` lists every method; jobs and crash recovery build them from there.
public protocol SnapshotMethod: Sendable {
    /// The name requests, the config and manifests use.
    static var methodName: SnapshotMethodName { get }

    /// Why this method cannot take a disk of this kind with these facts, or `nil` when it can.
    /// Pure: a request that names an impossible method is refused before anything is frozen.
    static func impossibility(kind: DiskKind, facts: DiskFacts) -> String?

    /// Whether this method is the one chosen by itself for such a disk of a running domain.
    /// ``SnapshotMethods/registered`` is asked in order: the first that says yes is chosen.
    static func isDefault(kind: DiskKind, facts: DiskFacts) -> Bool

    /// The method for one VM's job or recovery.
    init(_ environment: SnapshotEnvironment)

    /// Checks, before anything is frozen, that the disks can be snapshotted now (room in a
    /// volume group, say). Throws a ``SnapshotError`` that names the VM and the disk.
    func check(_ disks: [SelectedDisk]) async throws

    /// Snapshots all `disks` (every one of this method) at once, while the guest is frozen if at all.
    ///
    /// All or nothing: when it throws, nothing it created remains and the domain runs on its
    /// original images.
    func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot]

    /// Whether snapshots of this method can go bad while they are read, so a job must watch
    /// their ``health(of:)`` while it streams (a thick LVM snapshot can overflow).
    static var snapshotsCanSpoil: Bool { get }

    /// What is wrong with a snapshot while it is read (an LVM snapshot that overflowed), or `nil`
    /// when it is sound. Methods whose snapshots cannot go bad say `nil`.
    func health(of snapshot: TakenSnapshot) async throws -> String?

    /// Merges or deletes one snapshot so that the disk is back on its original image, then removes
    /// the artifact. Runs to the end even when the calling task is cancelled.
    func release(_ snapshot: TakenSnapshot) async throws

    /// The snapshots of `disks` that backup `backupID` made and that still exist, found by the
    /// names the method gives them, ready for `release`. Crash recovery asks this of a job the
    /// journal says was interrupted. Creates and changes nothing.
    func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot]
}

extension SnapshotMethod {
    public var name: SnapshotMethodName { Self.methodName }

    /// Most methods' snapshots cannot go bad: a file or a subvolume stays as it was taken.
    public static var snapshotsCanSpoil: Bool { false }

    public func check(_ disks: [SelectedDisk]) async throws {}

    public func health(of snapshot: TakenSnapshot) async throws -> String? { nil }
}
