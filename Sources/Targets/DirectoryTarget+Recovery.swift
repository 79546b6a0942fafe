import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash recovery: what a job, a delete or a manifest edit interrupted by a crash leaves in the
/// target's folders, and its removal (see also `sweep()`).
///
/// ```
/// <root>/<vm-uuid>/.partial-<backup-id>/             a backup that was never published (owner.json)
/// <root>/<vm-uuid>/.deleting-<backup-id>/            a delete interrupted after its rename (owner.json)
/// <root>/<vm-uuid>/<backup-id>/.manifest.json.new    an edit interrupted before its rename
/// ```
///
/// `<backup-id>` must be a valid `BackupID`; names that only look similar are not the target's
/// and are left alone without a word.
extension DirectoryTarget {
    /// The prefix of a backup's work-in-progress folder, as `PartialBackup` names it.
    static let partialPrefix = ".partial-"
    /// The prefix a deleted backup's folder is renamed to before its files go, as `delete` names it.
    static let deletingPrefix = ".deleting-"
    /// The file `update` writes the new manifest to before renaming it over `manifest.json`.
    static let manifestScratchName = "." + Manifest.fileName + ".new"

    /// Removes the partial folder of one backup if it exists and is not another daemon's
    /// (recovery of a single journaled job), and fsyncs the VM folder. A folder without an
    /// `owner.json` is taken for this daemon's: the journal names it. Throws when the VM UUID is
    /// not a safe name, when `.partial-<id>` exists but is not a folder (it is then left alone),
    /// or when the removal fails. Runs on the executor.
    public func removePartial(vmUUID: String, backupID: BackupID) async throws -> PartialRemoval {
        try await executor.run { try removePartialNow(vmUUID: vmUUID, backupID: backupID) }
    }

    func removePartialNow(vmUUID: String, backupID: BackupID) throws(TargetError) -> PartialRemoval {
        let vmDirectory = try vmFolder(vmUUID)
        let partial = vmDirectory + "/" + Self.partialPrefix + backupID.rawValue
        guard DurableFiles.exists(partial) else { return .absent }
        if let recorded = WorkOwner.read(in: partial), recorded.identity != owner { return .leftAlone(recorded) }
        try Self.removeFolder(partial, what: "partial backup")
        try DurableFiles.sync(vmDirectory)
        return .removed
    }

    /// The backup id in `name` when it is exactly `prefix` followed by a valid id.
    static func backupID(in name: String, after prefix: String) -> BackupID? {
        guard name.hasPrefix(prefix) else { return nil }
        return BackupID(validating: String(name.dropFirst(prefix.count)))
    }

    /// Removes the folder at `path` and everything in it. Refuses anything that is not a folder
    /// itself (a file, a symbolic link), leaving it alone.
    static func removeFolder(_ path: String, what: String) throws(TargetError) {
        guard isRealFolder(path) else {
            throw TargetError("remove \(what)", path: path, errno: ENOTDIR, reason: "not a folder; left alone")
        }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code
            throw TargetError(
                "remove \(what)", path: path, errno: code.map(Int32.init), reason: error.localizedDescription)
        }
    }

    /// Whether `path` is a folder, not a symbolic link to one.
    static func isRealFolder(_ path: String) -> Bool { fileKind(path) == S_IFDIR }

    /// The file type bits of `path` itself (`S_IFDIR`, `S_IFREG`, `S_IFLNK` ...), or `nil` when
    /// nothing is there.
    static func fileKind(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}
