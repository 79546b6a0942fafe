import Foundation

extension RetentionPolicy {
    /// Decides which of a VM's backups to keep and which to remove.
    ///
    /// **Keep options** follow Proxmox VE and Proxmox Backup Server. The options apply in the
    /// order `keep-last`, `keep-hourly`, `keep-daily`, `keep-weekly`, `keep-monthly`,
    /// `keep-yearly`, each walking the backups newest first. `keep-last=n` keeps the n newest
    /// backups. A period option `keep-daily=n` keeps the newest backup of each of the n newest
    /// days that have a backup, but passes over a day that already holds a backup kept by an
    /// earlier option: that day is covered and not counted again, so the option reaches further
    /// back for its n days; it stops at the first day beyond its n. Periods without a backup do
    /// not count. Hours, days, months and years are wall-clock periods in `timeZone` (a 25-hour
    /// day is one day; an hour repeated when clocks go back is one hour); weeks are ISO 8601
    /// weeks, Monday first, named by week-year (2021-01-03 is in week 53 of 2020), while
    /// `keep-yearly` uses the calendar year.
    ///
    /// This differs from restic's `forget`, which applies every option independently to all
    /// snapshots and keeps the union. With hourly backups, `keep-last=3 keep-daily=2` keeps
    /// today's three newest plus the newest of yesterday and of the day before (5) here, as in
    /// Proxmox; restic keeps today's three newest plus yesterday's newest (4), because its
    /// `keep-daily` counts today again.
    ///
    /// **Safety rules**, on top of the keep options:
    /// 1. A protected backup is always kept, and fills no keep slot: the options act as if it
    ///    were not there (as in Proxmox Backup Server).
    /// 2. The newest good backup is always kept, whatever the policy; only a policy whose options
    ///    are all 0 would remove it otherwise.
    /// 3. An ancestor of a kept backup (parent, grandparent, ...) that no option keeps is removed
    ///    by **merging** it into the kept backups made on top of it (``RetentionPlan/Action/merge``):
    ///    they absorb what they read from it, so every kept backup still restores with the same
    ///    content. A kept backup that may not be rewritten (``RetentionCandidate/isRewritable``
    ///    is false: something reads it in place), or that is not good, keeps every ancestor it
    ///    reads through instead, each with the reason ``RetentionReason/neededBy(_:)``, and those
    ///    are not rewritten either. A parent outside `backups` is not considered.
    /// 4. A backup that is not good (its verification failed) fills no keep slot and is kept,
    ///    with the reason ``RetentionReason/failedVerification``: it is never removed silently,
    ///    only by an explicit delete. It is never the newest good backup.
    ///
    /// A policy with no option set keeps every backup, each with ``RetentionReason/noPolicy``
    /// (or ``RetentionReason/protected``, or ``RetentionReason/failedVerification``).
    ///
    /// - Parameters:
    ///   - backups: all backups of one VM, in any order.
    ///   - timeZone: the zone whose local time draws the hour, day, week, month and year
    ///     boundaries.
    /// - Throws: ``RetentionInputError`` when two backups share an id or parents form a cycle.
    public func plan(for backups: [RetentionCandidate], timeZone: TimeZone) throws(RetentionInputError)
        -> RetentionPlan
    {
        var seen = Set<String>()
        for backup in backups where !seen.insert(backup.id).inserted { throw .duplicateID(backup.id) }
        let chains = try RetentionChains(backups)
        let newestFirst = backups.sorted { ($0.created, $0.id) > ($1.created, $1.id) }

        var reasons: [String: [RetentionReason]] = [:]
        let selected =
            keepsEverything
            ? [:]
            : RetentionSelection.select(newestFirst, policy: self, calendar: RetentionCalendar(timeZone: timeZone))
        for backup in newestFirst {
            if backup.isProtected {
                reasons[backup.id] = [.protected]
            } else if !backup.isGood {
                reasons[backup.id] = [.failedVerification]
            } else if keepsEverything {
                reasons[backup.id] = [.noPolicy]
            } else if let option = selected[backup.id] {
                reasons[backup.id] = [RetentionReason(option)]
            }
        }
        if let newest = newestFirst.first(where: \.isGood) { reasons[newest.id, default: []].append(.newest) }
        // Kept backups that are read in place or failed verification are never rewritten.
        let pinned = Set(newestFirst.filter { (!$0.isRewritable || !$0.isGood) && reasons[$0.id] != nil }.map(\.id))
        keepAncestors(of: pinned, in: &reasons, chains: chains, newestFirst: newestFirst)
        let mergeTargets = Self.mergeTargets(kept: Set(reasons.keys), chains: chains, newestFirst: newestFirst)

        let rows = newestFirst.map { backup in
            if let kept = reasons[backup.id] {
                return RetentionPlan.Row(id: backup.id, created: backup.created, action: .keep, reasons: kept)
            }
            let into = mergeTargets[backup.id] ?? []
            return RetentionPlan.Row(
                id: backup.id, created: backup.created, action: into.isEmpty ? .remove : .merge, reasons: [],
                mergeInto: into)
        }
        let remove = newestFirst.filter { reasons[$0.id] == nil }.sorted { lhs, rhs in
            let (left, right) = (chains.depths[lhs.id] ?? 0, chains.depths[rhs.id] ?? 0)
            if left != right { return left > right }
            return (lhs.created, lhs.id) < (rhs.created, rhs.id)
        }
        return RetentionPlan(rows: rows, remove: remove.map(\.id))
    }

    /// Keeps the parent of each of `pinned` (kept backups that may not be rewritten), and
    /// theirs, transitively, and notes on each parent which kept backups need it, newest first.
    private func keepAncestors(
        of pinned: Set<String>, in reasons: inout [String: [RetentionReason]], chains: RetentionChains,
        newestFirst: [RetentionCandidate]
    ) {
        var neededBy: [String: Set<String>] = [:]
        var pending = Array(pinned)
        var reached = pinned
        while let id = pending.popLast() {
            guard let parent = chains.parent(of: id) else { continue }
            if reasons[parent] == nil { reasons[parent] = [] }
            // Kept already or not, a parent a pinned backup reads through is pinned too.
            if reached.insert(parent).inserted { pending.append(parent) }
            neededBy[parent, default: []].insert(id)
        }
        let rank = Dictionary(uniqueKeysWithValues: newestFirst.enumerated().map { ($0.element.id, $0.offset) })
        for (parent, children) in neededBy {
            let newestChildFirst = children.sorted { rank[$0, default: 0] < rank[$1, default: 0] }
            reasons[parent, default: []].append(contentsOf: newestChildFirst.map { .neededBy($0) })
        }
    }

    /// For each removed backup that a kept one reads through, the kept backups that read through
    /// it with only removed backups between (its nearest kept descendants), newest first: what a
    /// merge of it, after its removed descendants were merged, rewrites.
    private static func mergeTargets(
        kept: Set<String>, chains: RetentionChains, newestFirst: [RetentionCandidate]
    ) -> [String: [String]] {
        var targets: [String: [String]] = [:]
        for backup in newestFirst where kept.contains(backup.id) {
            var ancestor = chains.parent(of: backup.id)
            while let id = ancestor, !kept.contains(id) {
                targets[id, default: []].append(backup.id)
                ancestor = chains.parent(of: id)
            }
        }
        return targets
    }
}
