import APIModel
import Foundation

/// Where backups are kept: one small async interface that the directory target implements and a
/// remote repository can (restic's backends are the model; see docs/TARGETS.md).
///
/// A backup is written through a ``BackupWriter`` that `begin` hands out and becomes visible
/// only when the writer commits it: durable, atomic, listed from then on. Everything else reads
/// or edits published backups. An unknown VM, backup or disk is a `TargetError` with code
/// `notFound`.
///
/// Implementations keep blocking I/O off Swift's cooperative pool (the directory target runs it
/// on its `BlockingExecutor`).
public protocol BackupTarget: Sendable {
    /// Where the target lies, for people: a folder, a repository's address.
    var location: String { get }

    /// Starts backup `backupID` of VM `vmUUID` for job `job`: work in progress that no listing
    /// shows, marked as this daemon's where the target can mark it. Throws `alreadyExists` when
    /// a backup by that id is published or begun.
    func begin(vmUUID: String, backupID: BackupID, job: String?) async throws -> any BackupWriter

    /// The UUIDs of the VMs the target has a place for (a backup of them was begun there), sorted.
    func vmUUIDs() async throws -> [String]
    /// The published backups of a VM, oldest first (by creation time, then id). Work in progress
    /// and backups whose manifest cannot be read are not listed. An unknown VM has none.
    func list(vmUUID: String) async throws -> [StoredBackup]
    /// One published backup; `notFound` when there is none by that id.
    func backup(vmUUID: String, id: String) async throws -> StoredBackup
    /// The stored image of disk `disk` (a target device, `vda`) of a published backup, as the
    /// target keeps it (a qcow2 file), in chunks: for copying elsewhere or checking. `notFound`
    /// when the backup or the disk's image is not there.
    func readImage(vmUUID: String, id: String, disk: String) async throws -> ImageStream
    /// Calls `body` with the path of a local file holding the stored image of disk `disk`, for
    /// QEMU's tools to read (restore, verify, instant access): the directory target's own file, or
    /// a scratch copy a remote target makes and removes afterwards. `body` must not change the
    /// file. `notFound` as for `readImage`.
    func withImageFile<Result: Sendable>(
        vmUUID: String, id: String, disk: String, _ body: @Sendable (String) async throws -> Result
    ) async throws -> Result
    /// The path of the stored image of disk `disk` when the target keeps it as a local file that
    /// stays where it is (the directory target), for QEMU to read as a backing file (instant
    /// restore); `nil` for a target that keeps images elsewhere. `notFound` as for `readImage`.
    func localImagePath(vmUUID: String, id: String, disk: String) async throws -> String?
    /// How a new backup's image of disk `disk` names the image of the published backup `parentID`
    /// as its qcow2 backing file, so that it reads through it for as long as both are kept: the
    /// directory target's `../<parent-id>/vda.qcow2`, relative, so that the target can move.
    /// `nil` for a target that cannot keep an image on another (every backup there is full).
    /// `notFound` as for `readImage`.
    func backingFile(vmUUID: String, parentID: String, disk: String) async throws -> String?
    /// The bytes of file `name` of a published backup (`domain.xml`, a chunk index, the NVRAM);
    /// `notFound` when the backup or the file is not there.
    func readFile(vmUUID: String, id: String, named name: String) async throws -> [UInt8]

    /// Rewrites the manifest of a published backup with `change` applied, atomically: a reader
    /// sees the old manifest or the new one, never a mix. Only the name, description and
    /// protection may change; whatever else `change` does is ignored. `notFound` when there is
    /// no such backup.
    func update(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) async throws -> StoredBackup
    /// Rewrites the chain links of a published backup's manifest with `change` applied,
    /// atomically as `update` does, once its images read through another backing file (a parent
    /// merged into it on delete). Only the parent, the level, and each stored disk's backing file
    /// and stored bytes may change; whatever else `change` does is ignored. `notFound` when there
    /// is no such backup.
    func updateChain(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) async throws -> StoredBackup
    /// Deletes a published backup: it stops being listed at once, then its data goes. `notFound`
    /// when there is no such backup.
    func delete(vmUUID: String, id: String) async throws

    /// Removes the work in progress of backup `backupID` that an interrupted job of this daemon
    /// left (recovery of one journaled job). Work another daemon marked as its own is left alone.
    func removePartial(vmUUID: String, backupID: BackupID) async throws -> PartialRemoval
    /// Removes what interrupted work of this daemon left on the target that no journal names,
    /// and leaves alone what may be another daemon's. Call it only while no backup, delete or
    /// edit of this daemon runs on the target.
    func sweep(now: Date) async -> SweepReport
}

extension BackupTarget {
    /// Starts a backup that no job names.
    public func begin(vmUUID: String, backupID: BackupID) async throws -> any BackupWriter {
        try await begin(vmUUID: vmUUID, backupID: backupID, job: nil)
    }

    /// Every published backup of every VM on the target: what a rebuild of the catalog takes.
    public func listAll() async throws -> [StoredBackup] {
        var all: [StoredBackup] = []
        for vmUUID in try await vmUUIDs() {
            all += try await list(vmUUID: vmUUID)
        }
        return all
    }

    /// Sweeps as of now.
    public func sweep() async -> SweepReport { await sweep(now: Date()) }
}

/// A published backup: its manifest and where it lies.
public struct StoredBackup: Sendable, Equatable {
    public var manifest: Manifest
    /// Where the backup lies on its target, for people and the API: the directory target's
    /// backup folder, or a repository's name for it.
    public var location: String

    public init(manifest: Manifest, location: String) {
        self.manifest = manifest
        self.location = location
    }

    /// The backup as the socket API lists it.
    public func summary() -> BackupSummary {
        BackupSummary(
            id: manifest.backupID, name: manifest.name, vmName: manifest.vmName, vmUUID: manifest.vmUUID,
            created: manifest.created, parent: manifest.parent, consistency: manifest.consistency,
            disks: manifest.disks.map { $0.summary() }, location: location, description: manifest.description,
            protected: manifest.protected, level: manifest.storedLevel, fullReason: manifest.fullReason)
    }
}
