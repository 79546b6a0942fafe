import Foundation

/// The embedded default target: a folder tree on a local or mounted filesystem.
///
/// ```
/// <root>/<vm-uuid>/<backup-id>/            manifest.json, domain.xml, vda.qcow2 ...
/// <root>/<vm-uuid>/.partial-<backup-id>/   work in progress, with owner.json; never listed
/// ```
public struct DirectoryTarget: BackupTarget {
    public let root: String
    /// The daemon working on the target through this value: its partial and deleting folders
    /// carry an `owner.json` naming it, and `sweep()` removes only what names it. `nil` marks
    /// nothing and claims nothing.
    public let owner: DaemonIdentity?

    /// Uses the folder at `root`, creating it (and its parents) when missing.
    public init(root: String, owner: DaemonIdentity? = nil) throws {
        try DurableFiles.makeFolders(root)
        self.root = root
        self.owner = owner
    }

    /// Also writes `owner.json` into the partial folder, naming ``owner`` and `job`, when there is
    /// an owner.
    public func begin(vmUUID: String, backupID: BackupID, job: String?) throws -> PartialBackup {
        let vmDirectory = try vmFolder(vmUUID)
        try DurableFiles.makeFolder(vmDirectory, existingIsFine: true)
        let partial = PartialBackup(vmDirectory: vmDirectory, vmUUID: vmUUID, backupID: backupID)
        guard !DurableFiles.exists(partial.publishedDirectory) else {
            throw TargetError("begin", path: partial.publishedDirectory, errno: EEXIST, reason: "it already exists")
        }
        try DurableFiles.makeFolder(partial.directory, existingIsFine: false)
        if let owner {
            do {
                try WorkOwner(owner, job: job).write(into: partial.directory)
            } catch {
                partial.discard()
                throw error
            }
        }
        return partial
    }

    public func list(vmUUID: String) throws -> [StoredBackup] {
        let vmDirectory = try vmFolder(vmUUID)
        guard DurableFiles.isFolder(vmDirectory) else { return [] }
        let backups = try DurableFiles.names(in: vmDirectory).compactMap { name in
            PathSafety.isSafeComponent(name) ? read(vmDirectory + "/" + name, id: name, vmUUID: vmUUID) : nil
        }
        return backups.sorted {
            ($0.manifest.created, $0.manifest.backupID) < ($1.manifest.created, $1.manifest.backupID)
        }
    }

    public func backup(vmUUID: String, id: String) throws -> StoredBackup? {
        let vmDirectory = try vmFolder(vmUUID)
        try PathSafety.check(id, as: "backup id")
        return read(vmDirectory + "/" + id, id: id, vmUUID: vmUUID)
    }

    public func vmUUIDs() throws -> [String] {
        try DurableFiles.names(in: root).filter {
            !$0.hasPrefix(".") && PathSafety.isSafeComponent($0) && DurableFiles.isFolder(root + "/" + $0)
        }.sorted()
    }

    public func update(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) throws -> StoredBackup {
        guard let stored = try backup(vmUUID: vmUUID, id: id) else {
            throw TargetError("update", path: root + "/" + vmUUID + "/" + id, errno: ENOENT, reason: "no such backup")
        }
        var edited = stored.manifest
        change(&edited)
        var manifest = stored.manifest
        manifest.name = edited.name
        manifest.description = edited.description
        manifest.protected = edited.protected
        let data: Data
        do {
            data = try manifest.encoded()
        } catch {
            throw TargetError("encode manifest for", path: stored.directory, reason: "\(error)")
        }
        let file = stored.directory + "/" + Manifest.fileName
        let scratch = stored.directory + "/" + Self.manifestScratchName
        try DurableFiles.writeFile(data, to: scratch)
        try DurableFiles.replace(scratch, with: file)
        try DurableFiles.sync(stored.directory)
        return StoredBackup(manifest: manifest, directory: stored.directory)
    }

    public func delete(vmUUID: String, id: String) throws {
        guard let stored = try backup(vmUUID: vmUUID, id: id) else {
            throw TargetError("delete", path: root + "/" + vmUUID + "/" + id, errno: ENOENT, reason: "no such backup")
        }
        let vmDirectory = (stored.directory as NSString).deletingLastPathComponent
        let doomed = vmDirectory + "/" + Self.deletingPrefix + id
        try DurableFiles.move(stored.directory, to: doomed)
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
    private func vmFolder(_ vmUUID: String) throws(TargetError) -> String {
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
        return StoredBackup(manifest: manifest, directory: directory)
    }
}
