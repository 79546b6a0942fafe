import Blocking
import Foundation

/// The embedded default target: a folder tree on a local or mounted filesystem.
///
/// ```
/// <root>/<vm-uuid>/<backup-id>/            manifest.json, domain.xml, vda.qcow2 ...
/// <root>/<vm-uuid>/.partial-<backup-id>/   work in progress, with owner.json; never listed
/// ```
///
/// Every filesystem call (reads, writes, fsync, renames, removals) runs on the injected
/// `BlockingExecutor`, never on Swift's cooperative pool. The one exception is `init`, which
/// creates the root once, at start.
public struct DirectoryTarget: BackupTarget {
    public let root: String
    /// The daemon working on the target through this value: its partial and deleting folders
    /// carry an `owner.json` naming it, and `sweep()` removes only what names it. `nil` marks
    /// nothing and claims nothing.
    public let owner: DaemonIdentity?
    /// Where the target's blocking I/O runs.
    public let executor: BlockingExecutor

    /// Uses the folder at `root`, creating it (and its parents) when missing.
    public init(root: String, owner: DaemonIdentity? = nil, executor: BlockingExecutor) throws {
        try DurableFiles.makeFolders(root)
        self.root = root
        self.owner = owner
        self.executor = executor
    }

    public var location: String { root }

    public func begin(vmUUID: String, backupID: BackupID, job: String?) async throws -> any BackupWriter {
        try await beginPartial(vmUUID: vmUUID, backupID: backupID, job: job)
    }

    /// `begin`, giving the writer as the directory target's own type, whose folder a test can
    /// look into. Also writes `owner.json` into the partial folder, naming ``owner`` and `job`,
    /// when there is an owner.
    public func beginPartial(vmUUID: String, backupID: BackupID, job: String? = nil) async throws -> PartialBackup {
        try await executor.run { try beginNow(vmUUID: vmUUID, backupID: backupID, job: job) }
    }

    public func vmUUIDs() async throws -> [String] {
        try await executor.run { try vmUUIDsNow() }
    }

    public func list(vmUUID: String) async throws -> [StoredBackup] {
        try await executor.run { try listNow(vmUUID: vmUUID) }
    }

    public func backup(vmUUID: String, id: String) async throws -> StoredBackup {
        try await executor.run { try backupNow(vmUUID: vmUUID, id: id, for: "read") }
    }

    /// Reads the manifest on the executor, applies `change` here, then writes the new manifest
    /// beside the old (`.manifest.json.new`, fsynced) and renames it over `manifest.json`.
    public func update(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) async throws -> StoredBackup {
        let stored = try await executor.run { try backupNow(vmUUID: vmUUID, id: id, for: "update") }
        var edited = stored.manifest
        change(&edited)
        var manifest = stored.manifest
        manifest.name = edited.name
        manifest.description = edited.description
        manifest.protected = edited.protected
        let changed = manifest
        try await executor.run { try Self.replaceManifest(with: changed, in: stored.location) }
        return StoredBackup(manifest: changed, location: stored.location)
    }

    /// Renames the backup's folder to `.deleting-<id>` (fsyncing the VM folder), so that it is no
    /// longer listed, then removes its files.
    public func delete(vmUUID: String, id: String) async throws {
        try await executor.run { try deleteNow(vmUUID: vmUUID, id: id) }
    }

    // MARK: On the executor

    func beginNow(vmUUID: String, backupID: BackupID, job: String?) throws(TargetError) -> PartialBackup {
        let vmDirectory = try vmFolder(vmUUID)
        try DurableFiles.makeFolder(vmDirectory, existingIsFine: true)
        let partial = PartialBackup(vmDirectory: vmDirectory, vmUUID: vmUUID, backupID: backupID, executor: executor)
        guard !DurableFiles.exists(partial.publishedDirectory) else {
            throw TargetError("begin", path: partial.publishedDirectory, errno: EEXIST, reason: "it already exists")
        }
        try DurableFiles.makeFolder(partial.directory, existingIsFine: false)
        if let owner {
            do {
                try WorkOwner(owner, job: job).write(into: partial.directory)
            } catch {
                partial.removeNow()
                throw error
            }
        }
        return partial
    }

    func listNow(vmUUID: String) throws(TargetError) -> [StoredBackup] {
        let vmDirectory = try vmFolder(vmUUID)
        guard DurableFiles.isFolder(vmDirectory) else { return [] }
        let backups = try DurableFiles.names(in: vmDirectory).compactMap { name in
            PathSafety.isSafeComponent(name) ? read(vmDirectory + "/" + name, id: name, vmUUID: vmUUID) : nil
        }
        return backups.sorted {
            ($0.manifest.created, $0.manifest.backupID) < ($1.manifest.created, $1.manifest.backupID)
        }
    }

    /// The published backup `id`, or `notFound` (naming `operation`).
    func backupNow(vmUUID: String, id: String, for operation: String) throws(TargetError) -> StoredBackup {
        let vmDirectory = try vmFolder(vmUUID)
        try PathSafety.check(id, as: "backup id")
        guard let stored = read(vmDirectory + "/" + id, id: id, vmUUID: vmUUID) else {
            throw .notFound(operation, vmDirectory + "/" + id)
        }
        return stored
    }

    func vmUUIDsNow() throws(TargetError) -> [String] {
        try DurableFiles.names(in: root).filter {
            !$0.hasPrefix(".") && PathSafety.isSafeComponent($0) && DurableFiles.isFolder(root + "/" + $0)
        }.sorted()
    }

    /// Writes `manifest` to the scratch file, fsynced, renames it over `manifest.json` and
    /// fsyncs the folder.
    static func replaceManifest(with manifest: Manifest, in directory: String) throws(TargetError) {
        let data: Data
        do {
            data = try manifest.encoded()
        } catch {
            throw TargetError("encode manifest for", path: directory, reason: "\(error)")
        }
        let scratch = directory + "/" + manifestScratchName
        try DurableFiles.writeFile(data, to: scratch)
        try DurableFiles.replace(scratch, with: directory + "/" + Manifest.fileName)
        try DurableFiles.sync(directory)
    }

    func deleteNow(vmUUID: String, id: String) throws(TargetError) {
        let stored = try backupNow(vmUUID: vmUUID, id: id, for: "delete")
        let vmDirectory = (stored.location as NSString).deletingLastPathComponent
        let doomed = vmDirectory + "/" + Self.deletingPrefix + id
        try DurableFiles.move(stored.location, to: doomed)
        try DurableFiles.sync(vmDirectory)
        // Says whose delete this is to a daemon sharing the target; without it the folder is
        // only removed by others once it has been left alone long enough.
        if let owner { try? WorkOwner(owner, job: nil).write(into: doomed) }
        do {
            try FileManager.default.removeItem(atPath: doomed)
        } catch {
            throw TargetError("delete", path: doomed, reason: error.localizedDescription)
        }
    }

    /// `<root>/<vm-uuid>`, once `vmUUID` is known to be a safe name.
    func vmFolder(_ vmUUID: String) throws(TargetError) -> String {
        try PathSafety.check(vmUUID, as: "VM UUID")
        return root + "/" + vmUUID
    }

    /// The backup in `directory`, or `nil` when its manifest is missing, unreadable, or names
    /// another backup.
    private func read(_ directory: String, id: String, vmUUID: String) -> StoredBackup? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + Manifest.fileName),
            let manifest = try? Manifest.decode(data),
            manifest.backupID == id, manifest.vmUUID == vmUUID
        else { return nil }
        return StoredBackup(manifest: manifest, location: directory)
    }
}
