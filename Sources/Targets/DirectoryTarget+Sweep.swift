import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The start-up sweep: what interrupted work of this daemon left in the target's folders, and
/// what is left alone because it may be another daemon's work in progress (hosts of a fleet
/// share one target).
extension DirectoryTarget {
    /// How long a leftover whose owner is unknown must have been left unchanged before the
    /// sweep takes it for abandoned: a day. Work in progress changes far more often than that.
    public static let abandonedAfter: TimeInterval = 24 * 3600

    /// Removes what interrupted work of this daemon left on the target, and leaves alone what
    /// may be another's:
    ///
    /// - `<root>/<vm-uuid>/.partial-<id>/` (a job that never published) and
    ///   `<root>/<vm-uuid>/.deleting-<id>/` (a delete interrupted after its rename) are removed
    ///   when their `owner.json` names ``owner``; left alone when it names another daemon or
    ///   host; and, without a readable `owner.json` (an older version's, or one cut short
    ///   before it was written), removed only once nothing in the folder changed for
    ///   ``abandonedAfter`` (by the change time of the folder and of what it holds).
    /// - `<root>/<vm-uuid>/<id>/.manifest.json.new` (an edit interrupted before its rename; the
    ///   old `manifest.json` still stands) is removed once it is ``abandonedAfter`` old.
    ///
    /// Each VM folder, and each backup folder a scratch file left, is fsynced after its
    /// removals. Call it only while no backup, delete or edit of this daemon runs (at start,
    /// holding the state directory's lock).
    ///
    /// Touches nothing else: not a published backup's other files, not a name that only
    /// resembles these (`.partial-notanid`, `.deleting-../x`), not a leftover of the wrong kind
    /// (a `.partial-<id>` that is a file or a symbolic link; reported in `problems`), and not a
    /// scratch file beside which no readable manifest stands (reported in `problems`). A failure
    /// to remove one item is recorded in `problems` and the sweep goes on.
    ///
    /// Runs on the executor, all of it; a sweep the executor refuses reports why in `problems`.
    public func sweep(now: Date) async -> SweepReport {
        do {
            return try await executor.run { sweepNow(now: now) }
        } catch {
            return SweepReport(problems: ["cannot sweep \(root): \(error)"])
        }
    }

    func sweepNow(now: Date) -> SweepReport {
        var report = SweepReport()
        let vmUUIDs: [String]
        do {
            vmUUIDs = try vmUUIDsNow()
        } catch {
            report.problems.append("\(error)")
            return report
        }
        for vmUUID in vmUUIDs {
            sweepVMFolder(vmUUID, now: now, into: &report)
        }
        return report
    }

    /// Sweeps `<root>/<vmUUID>`: its `.partial-<id>` and `.deleting-<id>` folders, and the
    /// scratch manifest of each published backup.
    private func sweepVMFolder(_ vmUUID: String, now: Date, into report: inout SweepReport) {
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
                    if try removeIfOurs(path, what: "partial backup", now: now, into: &report) {
                        report.partials.append(path)
                        removedAny = true
                    }
                } else if Self.backupID(in: name, after: Self.deletingPrefix) != nil {
                    if try removeIfOurs(path, what: "deleted backup", now: now, into: &report) {
                        report.deletions.append(path)
                        removedAny = true
                    }
                } else if let id = BackupID(validating: name), Self.isRealFolder(path) {
                    try removeManifestScratch(vmUUID: vmUUID, id: id, directory: path, now: now, into: &report)
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

    /// Removes the work folder at `path` when it is this daemon's, or has no owner and was
    /// abandoned; otherwise records in `leftAlone` why not. Returns whether it was removed.
    private func removeIfOurs(
        _ path: String, what: String, now: Date, into report: inout SweepReport
    ) throws(TargetError) -> Bool {
        guard Self.isRealFolder(path) else {
            throw TargetError("remove \(what)", path: path, errno: ENOTDIR, reason: "not a folder; left alone")
        }
        if let recorded = WorkOwner.read(in: path) {
            guard recorded.identity == owner else {
                report.leftAlone.append("\(path) (the work of \(recorded))")
                return false
            }
        } else if let changed = Self.lastChange(ofFolder: path), now.timeIntervalSince(changed) < Self.abandonedAfter {
            report.leftAlone.append("\(path) (no owner recorded; changed \(Self.age(now, changed)) ago)")
            return false
        }
        try Self.removeFolder(path, what: what)
        return true
    }

    /// Removes `<directory>/.manifest.json.new` when it is a regular file ``abandonedAfter`` old
    /// and the folder holds a published backup (a readable manifest naming it), then fsyncs the
    /// folder.
    private func removeManifestScratch(
        vmUUID: String, id: BackupID, directory: String, now: Date, into report: inout SweepReport
    ) throws(TargetError) {
        let scratch = directory + "/" + Self.manifestScratchName
        guard let kind = Self.fileKind(scratch) else { return }
        guard kind == S_IFREG else {
            throw TargetError("remove manifest scratch", path: scratch, reason: "not a regular file; left alone")
        }
        if let changed = Self.changeTime(scratch), now.timeIntervalSince(changed) < Self.abandonedAfter {
            report.leftAlone.append("\(scratch) (an edit may be under way; changed \(Self.age(now, changed)) ago)")
            return
        }
        do {
            _ = try backupNow(vmUUID: vmUUID, id: id.rawValue, for: "read manifest of")
        } catch {
            throw TargetError(
                "remove manifest scratch", path: scratch,
                reason: "no readable \(Manifest.fileName) stands beside it; left alone")
        }
        guard unlink(scratch) == 0 else { throw .system("remove manifest scratch", path: scratch, code: errno) }
        report.manifestScratch.append(scratch)
        try DurableFiles.sync(directory)
    }

    /// The latest change time of the folder at `path` and of everything directly in it: when
    /// anyone last wrote, added, removed or renamed something there.
    static func lastChange(ofFolder path: String) -> Date? {
        let names = (try? DurableFiles.names(in: path)) ?? []
        return ([path] + names.map { path + "/" + $0 }).compactMap(changeTime).max()
    }

    /// The change time (`st_ctime`) of `path` itself, which every write, rename and change of
    /// its metadata moves forward and nobody can set back.
    static func changeTime(_ path: String) -> Date? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Date(
            timeIntervalSince1970: TimeInterval(info.st_ctim.tv_sec) + TimeInterval(info.st_ctim.tv_nsec) / 1e9)
    }

    /// `now - then`, rounded, for the log: `3 min`, `5 h`.
    private static func age(_ now: Date, _ then: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(then)))
        return seconds < 3600 ? "\(seconds / 60) min" : "\(seconds / 3600) h"
    }
}
