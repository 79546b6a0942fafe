import APIModel
import Catalog
import Foundation
import Snapshots
import Targets

/// The level a backup is stored at and the parent it stores the changes since: chosen before the
/// guest is frozen, from what was asked, the policy's limits and the VM's backups on the target.
///
/// A broken chain is never extended: when the asked level needs a parent and there is no valid
/// one, the backup is a full and ``fullReason`` says why.
struct ChainChoice: Sendable, Equatable {
    /// `full`, `incremental` or `differential`: never `auto`.
    var level: BackupLevel
    /// The backup the changes are stored since; `nil` for a full.
    var parent: CatalogBackup?
    /// Why the backup is full although a level with a parent was asked for.
    var fullReason: String?
    /// The backup's depth in its chain: 0 for a full, its parent's plus one otherwise.
    var depth = 0

    static let full = ChainChoice(level: .full, parent: nil, fullReason: nil)

    /// A full, made so for `reason`.
    static func full(_ reason: String) -> ChainChoice { ChainChoice(level: .full, parent: nil, fullReason: reason) }

    /// What `auto` and the levels with a parent need to know.
    struct Limits: Sendable, Equatable {
        /// Under `auto`, a chain whose full is older than this starts again.
        var fullEverySeconds: Int
        /// Under `auto`, a chain already this long past its full starts again.
        var maxChain: Int
    }

    /// Chooses. Pure.
    ///
    /// - Parameters:
    ///   - requested: the level asked for (`auto` included).
    ///   - backups: the VM's backups on the target the backup goes to, in any order.
    ///   - disks: the disks the backup takes.
    ///   - chainBreak: why the VM's chain is broken (a restore in place), if it is.
    static func choose(
        requested: BackupLevel, backups: [CatalogBackup], disks: [SelectedDisk], limits: Limits, now: Date,
        chainBreak: String? = nil
    ) -> ChainChoice {
        guard requested != .full else { return .full }
        if let chainBreak { return full(chainBreak) }
        let newestFirst = backups.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        let byID = Dictionary(backups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let candidate: CatalogBackup?
        switch requested {
        case .differential:
            candidate = newestFirst.first { $0.manifest.storedLevel == .full }
            if candidate == nil { return full("the VM has no full backup to store the changes since") }
        default:
            candidate = newestFirst.first
            if candidate == nil { return full("the VM has no earlier backup") }
        }
        guard let parent = candidate else { return .full }
        // The parent's whole chain must stand: every ancestor there, and none of them failed.
        var chain: [CatalogBackup] = []
        var current: CatalogBackup? = parent
        while let backup = current {
            if backup.failedVerification {
                return full("backup \(backup.id) in the chain failed verification")
            }
            chain.append(backup)
            guard let parentID = backup.parent else { break }
            guard let next = byID[parentID], !chain.contains(where: { $0.id == parentID }) else {
                return full("backup \(parentID), on which backup \(backup.id) is stored, is gone")
            }
            current = next
        }
        if let problem = diskProblem(parent: parent, disks: disks) { return full(problem) }
        let depth = chain.count  // the new backup's depth below the chain's full
        if requested == .auto, let root = chain.last {
            let age = now.timeIntervalSince(root.created)
            if age >= TimeInterval(limits.fullEverySeconds) {
                return full(
                    "the chain's full backup \(root.id) is \(Self.days(age)) old (full_every is "
                        + "\(Self.days(TimeInterval(limits.fullEverySeconds))))")
            }
            if depth > limits.maxChain {
                return full(
                    "the chain already holds \(depth - 1) backups after its full (max_chain is \(limits.maxChain))")
            }
        }
        return ChainChoice(
            level: requested == .differential ? .differential : .incremental, parent: parent, depth: depth)
    }

    /// Why the parent's disks cannot carry the new backup's: a disk that now runs on another
    /// source, or a parent without chunk indexes for any of the disks.
    private static func diskProblem(parent: CatalogBackup, disks: [SelectedDisk]) -> String? {
        let stored = Dictionary(
            parent.manifest.disks.filter { $0.excluded == nil }.map { ($0.target, $0) },
            uniquingKeysWith: { first, _ in first })
        for disk in disks {
            if let old = stored[disk.target], let source = old.source, source != disk.sourcePath {
                return "disk \(disk.target) now runs on \(disk.sourcePath), not on \(source) as in backup \(parent.id)"
            }
        }
        let indexed = disks.filter { stored[$0.target]?.index != nil }
        if indexed.isEmpty {
            return parent.manifest.schemaVersion < 2
                ? "backup \(parent.id) has no chunk index (format 1)"
                : "backup \(parent.id) holds none of the disks backed up now"
        }
        return nil
    }

    /// A duration in days, or hours below a day: `8 days`, `5 hours`.
    private static func days(_ seconds: TimeInterval) -> String {
        if seconds >= 86_400 {
            let days = Int(seconds / 86_400)
            return "\(days) day" + (days == 1 ? "" : "s")
        }
        let hours = Int(seconds / 3600)
        return "\(hours) hour" + (hours == 1 ? "" : "s")
    }
}
