import Foundation
import Testing

@testable import Scheduling

/// The safety rules on top of the keep options: protected backups, the newest good backup,
/// backups that are not good, and the policy with no option set.
@Suite struct RetentionSafetyTests {
    private typealias F = RetentionFixture

    /// Mar 4 (protected), Mar 3, Mar 2, Mar 1 with keep-last=2: the protected backup is kept and
    /// fills no slot, so keep-last still keeps Mar 3 and Mar 2. Only Mar 1 goes.
    @Test func aProtectedBackupIsKeptAndFillsNoSlot() throws {
        let backups = [
            F.backup(2026, 3, 4, isProtected: true), F.backup(2026, 3, 3), F.backup(2026, 3, 2), F.backup(2026, 3, 1),
        ]

        let plan = try RetentionPolicy(keepLast: 2).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-04T00:00Z", .protected, .newest), F.kept("2026-03-03T00:00Z", .last),
                F.kept("2026-03-02T00:00Z", .last),
            ])
        #expect(plan.remove == ["2026-03-01T00:00Z"])
    }

    /// Mar 2 12:00 (protected), Mar 2 10:00, Mar 1 12:00 with keep-daily=1: the protected backup
    /// does not cover Mar 2, so keep-daily keeps Mar 2 10:00 and stops; Mar 1 goes. Unprotected,
    /// Mar 2 12:00 would be the day's only kept backup.
    @Test func aProtectedBackupDoesNotCoverItsPeriod() throws {
        let newest = F.backup(2026, 3, 2, 12, isProtected: true)
        let others = [F.backup(2026, 3, 2, 10), F.backup(2026, 3, 1, 12)]
        let policy = try RetentionPolicy(keepDaily: 1)

        let plan = try policy.plan(for: [newest] + others, timeZone: F.utc)

        #expect(
            plan.keep == [F.kept("2026-03-02T12:00Z", .protected, .newest), F.kept("2026-03-02T10:00Z", .daily)])
        #expect(plan.remove == ["2026-03-01T12:00Z"])

        var unprotected = newest
        unprotected.isProtected = false
        let plainPlan = try policy.plan(for: [unprotected] + others, timeZone: F.utc)
        #expect(plainPlan.keep == [F.kept("2026-03-02T12:00Z", .daily, .newest)])
    }

    /// A protected backup older than every slot is kept all the same.
    @Test func anOldProtectedBackupIsKept() throws {
        let backups = [F.backup(2026, 3, 2), F.backup(2026, 3, 1), F.backup(2020, 1, 1, isProtected: true)]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("2026-03-02T00:00Z", .last, .newest), F.kept("2020-01-01T00:00Z", .protected)])
        #expect(plan.remove == ["2026-03-01T00:00Z"])
    }

    /// keep-last=0 keep-daily=0 keeps nothing by itself. Mar 3 failed verification, so the newest
    /// good backup is Mar 2: it is kept, and Mar 3 is kept as a failed one.
    @Test func theNewestGoodBackupIsKeptWhenThePolicyKeepsNothing() throws {
        let backups = [F.backup(2026, 3, 3, isGood: false), F.backup(2026, 3, 2), F.backup(2026, 3, 1)]

        let plan = try RetentionPolicy(keepLast: 0, keepDaily: 0).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("2026-03-03T00:00Z", .failedVerification), F.kept("2026-03-02T00:00Z", .newest)])
        #expect(plan.remove == ["2026-03-01T00:00Z"])
    }

    /// With every option 0, the newest good backup is still kept, and the full backup it is an
    /// increment on is merged into it.
    @Test func theNewestGoodBackupAbsorbsItsChain() throws {
        let full = F.backup(2026, 3, 1)
        let backups = [F.backup(2026, 3, 2, parent: full.id), full, F.backup(2026, 2, 1)]

        let plan = try RetentionPolicy(keepLast: 0).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("2026-03-02T00:00Z", .newest)])
        #expect(plan.remove == ["2026-02-01T00:00Z", "2026-03-01T00:00Z"])
        #expect(plan.rows.map(\.mergeInto) == [[], ["2026-03-02T00:00Z"], []])
    }

    /// Mar 4 failed verification; keep-last=2 passes over it and keeps Mar 3 and Mar 2. Mar 4 is
    /// kept as a failed backup, never removed silently; only Mar 1 goes.
    @Test func aBackupThatIsNotGoodFillsNoSlotAndIsKept() throws {
        let backups = [
            F.backup(2026, 3, 4, isGood: false), F.backup(2026, 3, 3), F.backup(2026, 3, 2), F.backup(2026, 3, 1),
        ]

        let plan = try RetentionPolicy(keepLast: 2).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-04T00:00Z", .failedVerification), F.kept("2026-03-03T00:00Z", .last, .newest),
                F.kept("2026-03-02T00:00Z", .last),
            ])
        #expect(plan.remove == ["2026-03-01T00:00Z"])
    }

    /// An old backup that failed verification, far beyond every slot, is kept all the same.
    @Test func anOldBackupThatFailedVerificationIsKept() throws {
        let backups = [F.backup(2026, 3, 2), F.backup(2026, 3, 1), F.backup(2020, 1, 1, isGood: false)]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(plan.reasons(for: "2020-01-01T00:00Z") == [.failedVerification])
        #expect(plan.remove == ["2026-03-01T00:00Z"])
    }

    /// Mar 2 12:00 failed verification; keep-daily=1 keeps the day's newest good backup, 10:00.
    @Test func aBackupThatIsNotGoodDoesNotStandForItsPeriod() throws {
        let backups = [F.backup(2026, 3, 2, 12, isGood: false), F.backup(2026, 3, 2, 10), F.backup(2026, 3, 1, 12)]

        let plan = try RetentionPolicy(keepDaily: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-02T12:00Z", .failedVerification), F.kept("2026-03-02T10:00Z", .daily, .newest),
            ])
        #expect(plan.remove == ["2026-03-01T12:00Z"])
    }

    /// Full Mar 1 ← Mar 2 (failed verification) ← Mar 3, keep-last=1: Mar 3 is kept, Mar 2 is
    /// kept as failed, and a backup that failed is never rewritten, so Mar 1 stays as it needs.
    @Test func aBackupThatIsNotGoodIsKeptWhenAKeptBackupNeedsIt() throws {
        let full = F.backup(2026, 3, 1)
        let broken = F.backup(2026, 3, 2, parent: full.id, isGood: false)
        let backups = [F.backup(2026, 3, 3, parent: broken.id), broken, full]

        let plan = try RetentionPolicy(keepLast: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-03T00:00Z", .last, .newest),
                F.kept("2026-03-02T00:00Z", .failedVerification),
                F.kept("2026-03-01T00:00Z", .neededBy("2026-03-02T00:00Z")),
            ])
        #expect(plan.remove.isEmpty)
    }

    /// No option set keeps every backup, the one that is not good included (for that reason).
    @Test(arguments: [RetentionPolicy.keepEverything, try RetentionPolicy()])
    func noPolicyKeepsEverything(policy: RetentionPolicy) throws {
        let full = F.backup(2026, 3, 1)
        let backups = [
            F.backup(2026, 3, 4, isGood: false), F.backup(2026, 3, 3, isProtected: true),
            F.backup(2026, 3, 2, parent: full.id), full,
        ]

        let plan = try policy.plan(for: backups, timeZone: F.utc)

        #expect(policy.keepsEverything)
        #expect(
            plan.keep == [
                F.kept("2026-03-04T00:00Z", .failedVerification), F.kept("2026-03-03T00:00Z", .protected, .newest),
                F.kept("2026-03-02T00:00Z", .noPolicy),
                F.kept("2026-03-01T00:00Z", .noPolicy),
            ])
        #expect(plan.remove.isEmpty)
    }

    /// No backups, no plan.
    @Test func anEmptyListGivesAnEmptyPlan() throws {
        let plan = try RetentionPolicy(keepLast: 1).plan(for: [], timeZone: F.utc)

        #expect(plan.rows.isEmpty)
        #expect(plan.remove.isEmpty)
    }
}
