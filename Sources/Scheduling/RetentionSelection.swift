/// The keep options of a policy applied as Proxmox Backup Server applies them
/// (`compute_prune_info` in `pbs-datastore/src/prune.rs`), before any safety rule.
///
/// The options run in the order `keep-last`, `keep-hourly`, `keep-daily`, `keep-weekly`,
/// `keep-monthly`, `keep-yearly`. Each walks the backups newest first:
/// - a backup already marked by an earlier option (kept, or passed over as a duplicate of a slot)
///   is skipped;
/// - a protected backup is marked protected and skipped: it fills no slot;
/// - a backup that is not good is skipped, unmarked: it fills no slot;
/// - a backup whose slot holds a backup kept by an earlier option is skipped, unmarked: that slot
///   is covered already and is not counted again;
/// - the first backup of a slot this option has not seen is kept, unless the option has already
///   filled its count, in which case the walk stops;
/// - a later backup of a slot this option has already filled is marked as passed over.
///
/// So each option only counts periods its predecessors have not covered, and reaches further back
/// in time for them.
enum RetentionSelection {
    private enum Mark: Equatable {
        case kept(RetentionOption)
        case passedOver
        case protected
    }

    /// The backups the options keep, each with the option that keeps it.
    ///
    /// - Parameter newestFirst: the backups sorted newest first.
    static func select(
        _ newestFirst: [RetentionCandidate], policy: RetentionPolicy, calendar: RetentionCalendar
    ) -> [String: RetentionOption] {
        var marks: [String: Mark] = [:]
        for option in RetentionOption.allCases {
            guard let count = policy.count(for: option) else { continue }
            var covered = Set<RetentionSlot>()
            for candidate in newestFirst {
                if case .kept = marks[candidate.id] { covered.insert(calendar.slot(of: candidate, for: option)) }
            }
            var filled = Set<RetentionSlot>()
            for candidate in newestFirst where marks[candidate.id] == nil {
                if candidate.isProtected {
                    marks[candidate.id] = .protected
                    continue
                }
                guard candidate.isGood else { continue }
                let slot = calendar.slot(of: candidate, for: option)
                if covered.contains(slot) { continue }
                if filled.contains(slot) {
                    marks[candidate.id] = .passedOver
                } else {
                    if filled.count >= count { break }
                    filled.insert(slot)
                    marks[candidate.id] = .kept(option)
                }
            }
        }
        return marks.compactMapValues { mark in
            if case .kept(let option) = mark { option } else { nil }
        }
    }
}
