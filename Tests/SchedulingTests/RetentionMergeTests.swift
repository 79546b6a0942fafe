import Foundation
import Testing

@testable import Scheduling

/// Retention removes the ancestors no option keeps by merging them into the kept backups that
/// read through them, unless a kept backup may not be rewritten.
@Suite struct RetentionMergeTests {
    private typealias F = RetentionFixture

    /// `full` ← `i1` ← `i2` ← `i3` ← `i4`, one a day.
    private static func chainOfFive(
        inUse: String? = nil, protected: String? = nil
    ) -> [RetentionCandidate] {
        var parent: String?
        return ["full", "i1", "i2", "i3", "i4"].enumerated().map { day, id in
            defer { parent = id }
            return RetentionCandidate(
                id: id, created: F.date(2026, 3, 1 + day), parent: parent,
                isProtected: id == inUse || id == protected, isRewritable: id != inUse)
        }
    }

    /// keep-last=2 over a chain of five keeps two points: `i2`, `i1` and `full` are merged into
    /// `i3`, deepest first, which then holds everything itself.
    @Test func keepLastTwoOverAChainOfFiveLeavesTwoPoints() throws {
        let backups = Self.chainOfFive()

        let plan = try RetentionPolicy(keepLast: 2).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("i4", .last, .newest), F.kept("i3", .last)])
        #expect(plan.remove == ["i2", "i1", "full"])
        #expect(plan.rows.map(\.action) == [.keep, .keep, .merge, .merge, .merge])
        #expect(plan.rows.map(\.mergeInto) == [[], [], ["i3"], ["i3"], ["i3"]])
        F.expectNoOrphans(plan, of: backups)
    }

    /// `i3` is read by an instant copy (kept as protected, and not rewritable): it keeps every
    /// ancestor it reads through, as they are, and nothing is removed.
    @Test func aKeptBackupInUseKeepsItsAncestors() throws {
        let backups = Self.chainOfFive(inUse: "i3")

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("i4", .last, .newest), F.kept("i3", .protected), F.kept("i2", .neededBy("i3")),
                F.kept("i1", .neededBy("i2")), F.kept("full", .neededBy("i1")),
            ])
        #expect(plan.remove.isEmpty)
    }

    /// `i4` is in use and fills no slot, so keep-last=1 keeps `i3`, already kept on its own; what
    /// `i4` reads through stays all the same, beyond `i3` too.
    @Test func aBackupInUseKeepsAncestorsThatAreKeptOnTheirOwn() throws {
        let backups = Self.chainOfFive(inUse: "i4")

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("i4", .protected, .newest), F.kept("i3", .last, .neededBy("i4")), F.kept("i2", .neededBy("i3")),
                F.kept("i1", .neededBy("i2")), F.kept("full", .neededBy("i1")),
            ])
        #expect(plan.remove.isEmpty)
    }

    /// `i1` is in use: it and `full` stay; `i2`, which only `i3` and `i4` read through, is merged
    /// into `i3`, which keep-last=2 keeps.
    @Test func onlyTheAncestorsOfTheBackupInUseAreKept() throws {
        let backups = Self.chainOfFive(inUse: "i1")

        let plan = try RetentionPolicy(keepLast: 2).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("i4", .last, .newest), F.kept("i3", .last), F.kept("i1", .protected),
                F.kept("full", .neededBy("i1")),
            ])
        #expect(plan.remove == ["i2"])
        #expect(plan.rows.first { $0.id == "i2" }?.mergeInto == ["i3"])
        F.expectNoOrphans(plan, of: backups)
    }

    /// A protected full backup stays and is not rewritten; the increments between it and the
    /// kept newest are merged into that one, which then reads through the full backup alone.
    @Test func aProtectedFullWithIncrementals() throws {
        let backups = Self.chainOfFive(protected: "full")

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("i4", .last, .newest), F.kept("full", .protected)])
        #expect(plan.remove == ["i3", "i2", "i1"])
        #expect(plan.rows.map(\.action) == [.keep, .merge, .merge, .merge, .keep])
        #expect(plan.rows.map(\.mergeInto) == [[], ["i4"], ["i4"], ["i4"], []])
        F.expectNoOrphans(plan, of: backups)
    }

    /// A removed backup that no kept backup reads through is removed, not merged.
    @Test func aRemovedLeafIsNotMerged() throws {
        let backups = Self.chainOfFive() + [RetentionCandidate(id: "new", created: F.date(2026, 4, 1))]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("new", .last, .newest)])
        #expect(plan.rows.dropFirst().allSatisfy { $0.action == .remove && $0.mergeInto.isEmpty })
    }
}
