import APIModel
import Blocking
import Foundation
import Libvirt
import Logging

/// The `reflink` method: each disk's image file is cloned (`FICLONE`) beside itself, as
/// `.vmbackup-<backup-id>-<file>`, and the clone is the backupSource; release deletes the clones.
/// The guest keeps running on its own images throughout; no overlay, no block job, no merge.
///
/// A running domain is paused for the few milliseconds the clones take: pausing makes QEMU finish
/// in-flight I/O and flush every image, qcow2 metadata included, so each clone is a consistent
/// image (and, under a freeze, a consistent filesystem). The domain is resumed on every path.
public struct ReflinkCopy: SnapshotMethod {
    let domain: Domain
    let executor: BlockingExecutor
    let vmName: String
    let logger: Logger

    public init(domain: Domain, executor: BlockingExecutor, vmName: String, logger: Logger) {
        self.domain = domain
        self.executor = executor
        self.vmName = vmName
        self.logger = logger
    }

    public init(_ environment: SnapshotEnvironment) {
        self.init(
            domain: environment.domain, executor: environment.executor, vmName: environment.vmName,
            logger: environment.logger)
    }

    public static var methodName: SnapshotMethodName { .reflink }

    public static func impossibility(kind: DiskKind, facts: DiskFacts) -> String? {
        if kind != .file { return "it is a block device, not a file" }
        if !facts.canReflink { return "its file is not on XFS or btrfs, which reflink copies need" }
        return nil
    }

    /// Only by choice: a clone costs a pause of the domain, which the other methods do not.
    public static func isDefault(kind: DiskKind, facts: DiskFacts) -> Bool { false }

    /// The word that marks a clone made by a backup, for recovery.
    static let marker = ".vmbackup-"

    /// `<folder>/.vmbackup-<backup-id>-<file>` for the image at `path`.
    public static func clonePath(of path: String, backupID: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/" + marker + backupID + "-" + url.lastPathComponent
    }

    public func snapshot(_ disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        guard !disks.isEmpty else { return [] }
        for disk in disks where disk.kind != .file {
            throw SnapshotError(
                .snapshot, vm: vmName, disks: [disk.target], message: "a reflink copy needs a file disk",
                cause: nil)
        }
        let domain = self.domain
        let wasRunning = try await executor.run { try domain.state() == .running }
        if wasRunning { try await executor.run { try domain.suspend() } }
        let started = ContinuousClock.now
        let outcome = Result { try Self.cloneAll(disks, backupID: backupID) }
        if wasRunning {
            // Resume on every path; `executor.run` runs this even if the task was cancelled.
            do {
                try await executor.run { try domain.resume() }
            } catch {
                logger.critical(
                    "could not resume the domain after reflink copies", metadata: ["vm.name": "\(vmName)"])
                if case .success(let taken) = outcome { Self.removeClones(taken.map(\.artifact)) }
                throw SnapshotError(
                    .snapshot, vm: vmName, disks: disks.map(\.target),
                    message: "the domain stayed paused after the reflink copies; resume it with virsh resume",
                    cause: error)
            }
        }
        let taken: [TakenSnapshot]
        do {
            taken = try outcome.get()
        } catch {
            throw SnapshotError(
                .snapshot, vm: vmName, disks: disks.map(\.target), message: "reflink copy failed; nothing was left",
                cause: error)
        }
        logger.info(
            "reflink copies made",
            metadata: [
                "vm.name": "\(vmName)", "backup.id": "\(backupID)",
                "disk.targets": "\(disks.map(\.target).joined(separator: ","))",
                "paused": "\(wasRunning ? "\(ContinuousClock.now - started)" : "no")",
            ])
        return taken
    }

    public func release(_ snapshot: TakenSnapshot) async throws {
        guard let clone = snapshot.artifact else { return }
        guard unlink(clone) == 0 || errno == ENOENT else {
            throw SnapshotError(
                .cleanup, vm: vmName, disks: [snapshot.disk.target], message: "cannot delete reflink copy \(clone)",
                cause: FileCloneError(operation: "unlink", path: clone, code: errno))
        }
    }

    /// Clones every disk's image; on a failure removes the clones already made.
    private static func cloneAll(_ disks: [SelectedDisk], backupID: String) throws -> [TakenSnapshot] {
        var taken: [TakenSnapshot] = []
        for disk in disks {
            let clone = clonePath(of: disk.sourcePath, backupID: backupID)
            do {
                try FileClone.clone(disk.sourcePath, to: clone)
            } catch {
                removeClones(taken.map(\.artifact))
                throw error
            }
            taken.append(
                TakenSnapshot(
                    disk: disk, source: BackupSource(target: disk.target, path: clone, format: disk.format),
                    artifact: clone))
        }
        return taken
    }

    private static func removeClones(_ paths: [String?]) {
        for case let path? in paths { unlink(path) }
    }
}
