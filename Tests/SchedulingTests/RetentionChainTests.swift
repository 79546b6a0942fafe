import Foundation
import Testing

@testable import Scheduling

/// Incremental chains: an ancestor of a kept backup that no option keeps is merged into it, and
/// removal goes children first.
@Suite struct RetentionChainTests {
    private typealias F = RetentionFixture

    /// Full `f0` ← `j1`, then full `f1` ← `i1` ← `i2`, keep-last=1: `i2` is kept, `i1` and `f1` are
    /// merged into it, `j1` and `f0` are removed; each depth before the one above it.
    @Test func theAncestorsOfAKeptBackupAreMergedIntoIt() throws {
        let backups = [
            RetentionCandidate(id: "f0", created: F.date(2026, 3, 1)),
            RetentionCandidate(id: "j1", created: F.date(2026, 3, 2), parent: "f0"),
            RetentionCandidate(id: "f1", created: F.date(2026, 3, 3)),
            RetentionCandidate(id: "i1", created: F.date(2026, 3, 4), parent: "f1"),
            RetentionCandidate(id: "i2", created: F.date(2026, 3, 5), parent: "i1"),
        ]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("i2", .last, .newest)])
        #expect(plan.remove == ["j1", "i1", "f0", "f1"])
        #expect(plan.rows.map(\.action) == [.keep, .merge, .merge, .remove, .remove])
        #expect(plan.rows.map(\.mergeInto) == [[], ["i2"], ["i2"], [], []])
        F.expectNoOrphans(plan, of: backups)
    }

    /// A backup kept by an option names that option alone: no kept backup needs it to be kept.
    @Test func aBackupKeptOnItsOwnNamesItsOwnReason() throws {
        let backups = [
            RetentionCandidate(id: "f", created: F.date(2026, 3, 1)),
            RetentionCandidate(id: "i1", created: F.date(2026, 3, 2), parent: "f"),
            RetentionCandidate(id: "i2", created: F.date(2026, 3, 3), parent: "i1"),
        ]

        let plan = try RetentionPolicy(keepLast: 3).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("i2", .last, .newest), F.kept("i1", .last), F.kept("f", .last)])
    }

    /// Full `f` with two kept increments `a` (older) and `b` (newer), each on `f` directly:
    /// `f` is merged into both, newest first.
    @Test func aParentOfTwoKeptBranchesIsMergedIntoBoth() throws {
        let backups = [
            RetentionCandidate(id: "f", created: F.date(2026, 3, 1)),
            RetentionCandidate(id: "a", created: F.date(2026, 3, 2), parent: "f"),
            RetentionCandidate(id: "b", created: F.date(2026, 3, 3), parent: "f"),
        ]

        let plan = try RetentionPolicy(keepLast: 2).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("b", .last, .newest), F.kept("a", .last)])
        #expect(plan.rows.last?.action == .merge)
        #expect(plan.rows.last?.mergeInto == ["b", "a"])
    }

    /// Removed: `f` ← `i1` ← `i2` ← `i3` (Mar 1–4) and `g` ← `k1` (Mar 5–6); kept: full `n`
    /// (Mar 7). Removal goes deepest first, oldest first among equals: depth 3 `i3`, depth 2 `i2`,
    /// depth 1 `i1` (Mar 2) then `k1` (Mar 6), depth 0 `f` then `g`.
    @Test func childrenAreRemovedBeforeTheirParents() throws {
        let backups = [
            RetentionCandidate(id: "f", created: F.date(2026, 3, 1)),
            RetentionCandidate(id: "i1", created: F.date(2026, 3, 2), parent: "f"),
            RetentionCandidate(id: "i2", created: F.date(2026, 3, 3), parent: "i1"),
            RetentionCandidate(id: "i3", created: F.date(2026, 3, 4), parent: "i2"),
            RetentionCandidate(id: "g", created: F.date(2026, 3, 5)),
            RetentionCandidate(id: "k1", created: F.date(2026, 3, 6), parent: "g"),
            RetentionCandidate(id: "n", created: F.date(2026, 3, 7)),
        ]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("n", .last, .newest)])
        #expect(plan.remove == ["i3", "i2", "i1", "k1", "f", "g"])
        F.expectNoOrphans(plan, of: backups)
    }

    /// A daily chain over 40 days (a full every Monday, increments on the day before otherwise)
    /// with keep-daily=7 keep-weekly=2: whatever is removed, every kept backup absorbs the
    /// ancestors it reads through, and no backup is removed before its children.
    @Test func noPlanOrphansAnIncrement() throws {
        var backups: [RetentionCandidate] = []
        for day in 0..<40 {
            let created = F.date(2026, 3, 2 + day)  // 2026-03-02 is a Monday.
            let parent = day % 7 == 0 ? nil : backups.last?.id
            backups.append(RetentionCandidate(id: F.label(created), created: created, parent: parent))
        }

        let plan = try RetentionPolicy(keepDaily: 7, keepWeekly: 2).plan(for: backups, timeZone: F.utc)

        // Kept: the 7 newest days (Apr 4–10) and, as ISO weeks W15 and W14 are covered, the
        // Sundays of W13 and W12 (Mar 29, Mar 22). Merged: the days of their chains before them,
        // back to the Mondays Mar 30, Mar 23 and Mar 16 (Apr 6 to 10 read through Apr 6, kept).
        // Removed: Mar 2–15, two weeks of chains no kept backup reads through.
        #expect(plan.keep.first == F.kept("2026-04-10T00:00Z", .daily, .newest))
        let keptDays = (0..<7).map { F.date(2026, 4, 10 - $0) } + [F.date(2026, 3, 29), F.date(2026, 3, 22)]
        #expect(plan.keep.map(\.id) == keptDays.map { F.label($0) })
        #expect(plan.reasons(for: "2026-03-29T00:00Z") == [.weekly])
        let merged = plan.rows.filter { $0.action == .merge }
        #expect(merged.count == 5 + 6 + 6)
        #expect(merged.first { $0.id == "2026-03-30T00:00Z" }?.mergeInto == ["2026-04-04T00:00Z"])
        #expect(merged.first { $0.id == "2026-03-23T00:00Z" }?.mergeInto == ["2026-03-29T00:00Z"])
        #expect(plan.rows.filter { $0.action == .remove }.count == 14)
        #expect(plan.remove.count == 40 - 9)
        F.expectNoOrphans(plan, of: backups)
    }

    /// A removed increment whose parent is kept is fine: full Mar 2 10:00 is protected, its
    /// increment at 11:00 is not selected by keep-last=1 (Mar 3 is) and goes.
    @Test func aRemovedChildOfAKeptParentIsFine() throws {
        let full = F.backup(2026, 3, 2, 10, isProtected: true)
        let backups = [F.backup(2026, 3, 3), F.backup(2026, 3, 2, 11, parent: full.id), full]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("2026-03-03T00:00Z", .last, .newest), F.kept("2026-03-02T10:00Z", .protected)])
        #expect(plan.remove == ["2026-03-02T11:00Z"])
    }

    /// An increment that failed verification is kept, and so is the full backup it needs.
    @Test func anIncrementThatFailedVerificationKeepsItsParent() throws {
        let full = F.backup(2026, 3, 1, 10)
        let backups = [F.backup(2026, 3, 2, 11, parent: full.id, isGood: false), full, F.backup(2026, 2, 1)]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-02T11:00Z", .failedVerification),
                F.kept("2026-03-01T10:00Z", .last, .newest, .neededBy("2026-03-02T11:00Z")),
            ])
        #expect(plan.remove == ["2026-02-01T00:00Z"])
    }

    /// A parent that is not among the backups (already gone, or elsewhere) is not considered.
    @Test func aParentOutsideTheListIsIgnored() throws {
        let backups = [
            RetentionCandidate(id: "i2", created: F.date(2026, 3, 3), parent: "i1"),
            RetentionCandidate(id: "i1", created: F.date(2026, 3, 2), parent: "gone"),
        ]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("i2", .last, .newest)])
        #expect(plan.rows.last?.mergeInto == ["i2"])
    }

    @Test func parentsInACycleAreRefused() {
        let backups = [
            RetentionCandidate(id: "c", created: F.date(2026, 3, 3)),
            RetentionCandidate(id: "b", created: F.date(2026, 3, 2), parent: "a"),
            RetentionCandidate(id: "a", created: F.date(2026, 3, 1), parent: "b"),
        ]

        #expect(throws: RetentionInputError.cyclicChain(["a", "b"])) {
            try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)
        }
        #expect(throws: RetentionInputError.cyclicChain(["s"])) {
            try RetentionPolicy(keepLast: 1).plan(
                for: [RetentionCandidate(id: "s", created: F.date(2026, 3, 1), parent: "s")], timeZone: F.utc)
        }
    }

    @Test func aDuplicateIdIsRefused() {
        let backups = [
            RetentionCandidate(id: "a", created: F.date(2026, 3, 2)),
            RetentionCandidate(id: "a", created: F.date(2026, 3, 1)),
        ]

        #expect(throws: RetentionInputError.duplicateID("a")) {
            try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)
        }
        #expect(
            RetentionInputError.duplicateID("a").description == "backup a is listed twice; refusing to plan retention")
    }
}
