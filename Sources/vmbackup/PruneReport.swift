import APIModel

/// What `vmbackup prune` prints: the policy, every backup with the decision about it, and how many
/// were (or would be) removed.
///
/// ```
/// retention of web01: keep-last=1 keep-daily=7
/// ID                     CREATED              NAME  ACTION  REASONS
/// 20261123T013000Z-77aa  2026-11-23 01:30:00  -     keep    keep-last, keep-daily
/// 20261122T013000Z-3f9a  2026-11-22 01:30:00  -     merge   into 20261123T013000Z-77aa
/// 20261121T013000Z-0c1d  2026-11-21 01:30:00  -     remove
/// would remove 2 backups, 1 by merging (dry run)
/// ```
struct PruneReport {
    var result: PruneResult

    func rendered() -> String {
        var text = "retention of \(result.vmName): \(result.policy)\n"
        if !result.entries.isEmpty {
            // Each target's backups are pruned apart; name the target once there is another.
            let targets = result.entries.contains {
                ($0.target ?? TargetSettings.defaultName) != TargetSettings.defaultName
            }
            let header = (targets ? ["TARGET"] : []) + ["ID", "CREATED", "NAME", "ACTION", "REASONS"]
            text += TextTable.render(
                header: header,
                rows: result.entries.map { (targets ? [$0.target ?? TargetSettings.defaultName] : []) + Self.row($0) })
        }
        return text + summary + "\n"
    }

    /// `removed 2 backups`, or `would remove 2 backups, 1 by merging (dry run)`.
    var summary: String {
        let count = result.removed.count
        let merges = result.entries.filter { $0.action == "merge" }.count
        let backups = (count == 1 ? "1 backup" : "\(count) backups") + (merges > 0 ? ", \(merges) by merging" : "")
        return result.dryRun ? "would remove \(backups) (dry run)" : "removed \(backups)"
    }

    private static func row(_ entry: PruneResult.Entry) -> [String] {
        [
            entry.id,
            DisplayDate.format(entry.created),
            entry.name ?? "-",
            entry.action,
            entry.mergeInto.map { "into " + $0.joined(separator: ", ") }
                ?? (entry.reasons.isEmpty ? "-" : entry.reasons.joined(separator: ", ")),
        ]
    }
}
