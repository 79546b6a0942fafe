import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash recovery: what a job, a delete or a manifest edit interrupted by a crash leaves in the
/// target's folders, and its removal.
///
/// ```
/// <root>/<vm-uuid>/.partial-<backup-id>/             a backup that was never published
/// <root>/<vm-uuid>/.deleting-<backup-id>/            a delete interrupted after its rename
/// <root>/<vm-uuid>/<backup-id>/.manifest.json.new    an edit interrupted before its rename
/// ```
///
/// `<backup-id>` must be a valid `BackupID`; names that only look similar are not the target's
/// and are left alone without a word.
extension DirectoryTarget {
    /// What `sweep()` removed or finished, for the log. Every entry is a full path.
    public struct SweepReport: Sendable, Equatable {
        /// The `.partial-<id>` folders removed.
        public var partials: [String]
        /// The `.deleting-<id>` folders whose removal was finished.
        public var deletions: [String]
        /// The `.manifest.json.new` files removed from published backups.
        public var manifestScratch: [String]
        /// What could not be removed or looked at, and leftovers that were not in the expected
        /// state (a `.partial-<id>` that is not a folder, say) and were left alone.
        public var problems: [String]

        public init(
            partials: [String] = [], deletions: [String] = [], manifestScratch: [String] = [],
            problems: [String] = []
        ) {
            self.partials = partials
            self.deletions = deletions
            self.manifestScratch = manifestScratch
            self.problems = problems
        }

        /// Whether the sweep found nothing to do and nothing wrong.
        public var isEmpty: Bool {
            partials.isEmpty && deletions.isEmpty && manifestScratch.isEmpty && problems.isEmpty
        }
    }

    /// The prefix of a backup's work-in-progress folder, as `PartialBackup` names it.
    static let partialPrefix = ".partial-"
    /// The prefix a deleted backup's folder is renamed to before its files go, as `delete` names it.
    static let deletingPrefix = ".deleting-"
    /// The file `update` writes the new manifest to before renaming it over `manifest.json`.
    static let manifestScratchName = "." + Manifest.fileName + ".new"

    /// Removes what interrupted work left on the target: every `<root>/<vm-uuid>/.partial-<id>/`
    /// (a job that never published), the rest of every `<root>/<vm-uuid>/.deleting-<id>/` (a
    /// delete interrupted after its rename), and every `<root>/<vm-uuid>/<id>/.manifest.json.new`
    /// (an edit interrupted before its rename; the old `manifest.json` still stands). Each VM
    /// folder, and each backup folder a scratch file left, is fsynced after its removals.
    ///
    /// Call it only while no backup, delete or edit runs on this target (at daemon start): a
    /// running job's partial folder looks exactly like a crashed one's.
    ///
    /// Touches nothing else: not a published backup's other files, not a name that only
    /// resembles these (`.partial-notanid`, `.deleting-../x`), not a leftover of the wrong kind
    /// (a `.partial-<id>` that is a file or a symbolic link; reported in `problems`), and not a
    /// scratch file beside which no readable manifest stands (reported in `problems`). A failure
    /// to remove one item is recorded in `problems` and the sweep goes on.
    public func sweep() -> SweepReport {
        var report = SweepReport()
        let vmUUIDs: [String]
        do {
            vmUUIDs = try self.vmUUIDs()
        } catch {
            report.problems.append("\(error)")
            return report
        }
        for vmUUID in vmUUIDs {
            sweepVMFolder(vmUUID, into: &report)
        }
        return report
    }

    /// Removes the partial folder of one backup if it exists (recovery of a single journaled
    /// job) and fsyncs the VM folder; returns whether something was removed. Throws when the VM
    /// UUID is not a safe name, when `.partial-<id>` exists but is not a folder (it is then left
    /// alone), or when the removal fails.
    public func removePartial(vmUUID: String, backupID: BackupID) throws(TargetError) -> Bool {
        try PathSafety.check(vmUUID, as: "VM UUID")
        let vmDirectory = root + "/" + vmUUID
        let partial = PartialBackup(vmDirectory: vmDirectory, vmUUID: vmUUID, backupID: backupID).directory
        guard DurableFiles.exists(partial) else { return false }
        try Self.removeFolder(partial, what: "partial backup")
        try DurableFiles.sync(vmDirectory)
        return true
    }

    /// Sweeps `<root>/<vmUUID>`: its `.partial-<id>` and `.deleting-<id>` folders, and the
    /// scratch manifest of each published backup.
    private func sweepVMFolder(_ vmUUID: String, into report: inout SweepReport) {
        let vmDirectory = root + "/" + vmUUID
        let names: [String]
        do {
            names = try DurableFiles.names(in: vmDirectory)
        } catch {
            report.problems.append(error.description)
            return
        }
        var removedAny = false
        for name in names.sorted() {
            let path = vmDirectory + "/" + name
            do {
                if Self.backupID(in: name, after: Self.partialPrefix) != nil {
                    try Self.removeFolder(path, what: "partial backup")
                    report.partials.append(path)
                    removedAny = true
                } else if Self.backupID(in: name, after: Self.deletingPrefix) != nil {
                    try Self.removeFolder(path, what: "deleted backup")
                    report.deletions.append(path)
                    removedAny = true
                } else if let id = BackupID(validating: name), Self.isRealFolder(path) {
                    try removeManifestScratch(vmUUID: vmUUID, id: id, directory: path, into: &report)
                }
            } catch {
                report.problems.append(error.description)
            }
        }
        guard removedAny else { return }
        do {
            try DurableFiles.sync(vmDirectory)
        } catch {
            report.problems.append(error.description)
        }
    }

    /// Removes `<directory>/.manifest.json.new` when it is a regular file and the folder holds
    /// a published backup (a readable manifest naming it), then fsyncs the folder.
    private func removeManifestScratch(
        vmUUID: String, id: BackupID, directory: String, into report: inout SweepReport
    ) throws(TargetError) {
        let scratch = directory + "/" + Self.manifestScratchName
        guard let kind = Self.fileKind(scratch) else { return }
        guard kind == S_IFREG else {
            throw TargetError("remove manifest scratch", path: scratch, reason: "not a regular file; left alone")
        }
        let published: StoredBackup?
        do {
            published = try backup(vmUUID: vmUUID, id: id.rawValue)
        } catch {
            throw TargetError("read manifest of", path: directory, reason: "\(error)")
        }
        guard published != nil else {
            throw TargetError(
                "remove manifest scratch", path: scratch,
                reason: "no readable \(Manifest.fileName) stands beside it; left alone")
        }
        guard unlink(scratch) == 0 else { throw .system("remove manifest scratch", path: scratch, code: errno) }
        report.manifestScratch.append(scratch)
        try DurableFiles.sync(directory)
    }

    /// The backup id in `name` when it is exactly `prefix` followed by a valid id.
    private static func backupID(in name: String, after prefix: String) -> BackupID? {
        guard name.hasPrefix(prefix) else { return nil }
        return BackupID(validating: String(name.dropFirst(prefix.count)))
    }

    /// Removes the folder at `path` and everything in it. Refuses anything that is not a folder
    /// itself (a file, a symbolic link), leaving it alone.
    private static func removeFolder(_ path: String, what: String) throws(TargetError) {
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
    private static func isRealFolder(_ path: String) -> Bool { fileKind(path) == S_IFDIR }

    /// The file type bits of `path` itself (`S_IFDIR`, `S_IFREG`, `S_IFLNK` ...), or `nil` when
    /// nothing is there.
    private static func fileKind(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}
