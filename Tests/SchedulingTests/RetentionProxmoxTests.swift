import Foundation
import Testing

@testable import Scheduling

/// The keep options as Proxmox VE and Proxmox Backup Server apply them, on hand-computed tables.
@Suite struct RetentionProxmoxTests {
    private typealias F = RetentionFixture

    /// The Proxmox VE manual's retention example ("Retention Settings Example":
    /// keep-last=3, keep-daily=13, keep-weekly=8, keep-monthly=11, keep-yearly=9, "a total of at
    /// least 10 years of coverage") over a daily backup at 02:00 UTC from 2015-01-01 through
    /// Tuesday 2026-03-31.
    ///
    /// - keep-last=3: Mar 31, 30, 29.
    /// - keep-daily=13: days Mar 31–29 are covered; the next 13 days are Mar 28 down to Mar 16.
    /// - keep-weekly=8: covered ISO weeks are 2026-W14 (Mar 30–), W13 (Mar 23–29) and W12
    ///   (Mon Mar 16–22). The next 8 weeks, each kept at its Sunday: Mar 15 (W11), Mar 8, Mar 1,
    ///   Feb 22, Feb 15, Feb 8, Feb 1, Jan 25 (W04).
    /// - keep-monthly=11: months 2026-03, -02 and -01 (Jan 25) are covered; the rest of January
    ///   is passed over. The next 11 months, each kept at its last day: Dec 31 2025 down to Feb 28
    ///   2025.
    /// - keep-yearly=9: years 2026 and 2025 are covered; January 2025 is passed over. Then
    ///   Dec 31 of 2024 down to 2016.
    ///
    /// 3 + 13 + 8 + 11 + 9 = 44 kept; 2015 and everything between the kept backups go.
    @Test func theProxmoxManualsExamplePolicyOverElevenYearsOfDailyBackups() throws {
        let backups = F.daily(from: F.date(2015, 1, 1, 2), through: F.date(2026, 3, 31, 2))
        #expect(backups.count == 4108)
        let policy = try RetentionPolicy(keepLast: 3, keepDaily: 13, keepWeekly: 8, keepMonthly: 11, keepYearly: 9)

        let plan = try policy.plan(for: backups, timeZone: F.utc)

        func at(_ year: Int, _ month: Int, _ day: Int) -> String { F.label(year, month, day, 2) }
        let last = [
            F.kept(at(2026, 3, 31), .last, .newest), F.kept(at(2026, 3, 30), .last), F.kept(at(2026, 3, 29), .last),
        ]
        let daily = (16...28).reversed().map { F.kept(at(2026, 3, $0), .daily) }
        let weekly = [(3, 15), (3, 8), (3, 1), (2, 22), (2, 15), (2, 8), (2, 1), (1, 25)].map {
            F.kept(at(2026, $0.0, $0.1), .weekly)
        }
        let monthly = [
            (2025, 12, 31), (2025, 11, 30), (2025, 10, 31), (2025, 9, 30), (2025, 8, 31), (2025, 7, 31),
            (2025, 6, 30), (2025, 5, 31), (2025, 4, 30), (2025, 3, 31), (2025, 2, 28),
        ].map { F.kept(at($0.0, $0.1, $0.2), .monthly) }
        let yearly = (2016...2024).reversed().map { F.kept(at($0, 12, 31), .yearly) }
        #expect(plan.keep == last + daily + weekly + monthly + yearly)
        #expect(plan.keep.count == 44)
        #expect(plan.remove.count == 4108 - 44)
    }

    /// Hourly backups on the hour, 2026-03-01 00:00 through 2026-03-03 23:00 UTC (72), with
    /// keep-daily=2: the newest of each of the two newest days, 23:00 on Mar 3 and Mar 2.
    @Test func keepDailyKeepsTheNewestBackupOfEachDay() throws {
        let backups = F.hourly(from: F.date(2026, 3, 1, 0), through: F.date(2026, 3, 3, 23))
        #expect(backups.count == 72)

        let plan = try RetentionPolicy(keepDaily: 2).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("2026-03-03T23:00Z", .daily, .newest), F.kept("2026-03-02T23:00Z", .daily)])
        #expect(plan.remove.count == 70)
    }

    /// The same 72 hourly backups with keep-last=3 keep-daily=2:
    /// - keep-last=3: Mar 3 23:00, 22:00, 21:00.
    /// - keep-daily=2: Mar 3 is covered by keep-last and not counted again; the two next days are
    ///   Mar 2 and Mar 1, kept at 23:00.
    ///
    /// 5 kept. restic would keep 4: its keep-daily counts Mar 3 again (23:00, already kept) and
    /// Mar 2 only.
    @Test func aLaterOptionDoesNotCountPeriodsAnEarlierOptionCovered() throws {
        let backups = F.hourly(from: F.date(2026, 3, 1, 0), through: F.date(2026, 3, 3, 23))

        let plan = try RetentionPolicy(keepLast: 3, keepDaily: 2).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-03T23:00Z", .last, .newest), F.kept("2026-03-03T22:00Z", .last),
                F.kept("2026-03-03T21:00Z", .last), F.kept("2026-03-02T23:00Z", .daily),
                F.kept("2026-03-01T23:00Z", .daily),
            ])
    }

    /// keep-hourly=2 keep-daily=2 over Mar 3 10:00, 09:30, 09:00, Mar 2 20:00, Mar 1 20:00,
    /// Feb 28 20:00:
    /// - keep-hourly=2: hour 10 keeps 10:00; hour 09 keeps 09:30 and passes over 09:00; hour 20 of
    ///   Mar 2 would be a third hour, so keep-hourly stops.
    /// - keep-daily=2: Mar 3 is covered (09:00 was passed over, and is not reconsidered); then Mar 2
    ///   and Mar 1.
    @Test func keepHourlyThenKeepDaily() throws {
        let backups = [
            F.backup(2026, 3, 3, 10), F.backup(2026, 3, 3, 9, 30), F.backup(2026, 3, 3, 9), F.backup(2026, 3, 2, 20),
            F.backup(2026, 3, 1, 20), F.backup(2026, 2, 28, 20),
        ]

        let plan = try RetentionPolicy(keepHourly: 2, keepDaily: 2).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2026-03-03T10:00Z", .hourly, .newest), F.kept("2026-03-03T09:30Z", .hourly),
                F.kept("2026-03-02T20:00Z", .daily), F.kept("2026-03-01T20:00Z", .daily),
            ])
        #expect(Set(plan.remove) == ["2026-03-03T09:00Z", "2026-02-28T20:00Z"])
    }

    /// A backup passed over because an earlier option covers its period stays open to the later
    /// options, as in Proxmox Backup Server: weeks and months do not nest.
    /// Backups Tue 2021-06-01, Mon 2021-05-31 (both ISO week 22) and Tue 2021-04-20 (week 16),
    /// keep-daily=1 keep-weekly=1 keep-monthly=1:
    /// - keep-daily=1: Jun 1.
    /// - keep-weekly=1: week 22 is covered, so May 31 is skipped; week 16 keeps Apr 20.
    /// - keep-monthly=1: June and April are covered; May is not, so May 31 is kept.
    @Test func aBackupSkippedForACoveredWeekCanStillStandForItsMonth() throws {
        let backups = [F.backup(2021, 6, 1, 2), F.backup(2021, 5, 31, 2), F.backup(2021, 4, 20, 2)]

        let plan = try RetentionPolicy(keepDaily: 1, keepWeekly: 1, keepMonthly: 1).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2021-06-01T02:00Z", .daily, .newest), F.kept("2021-05-31T02:00Z", .monthly),
                F.kept("2021-04-20T02:00Z", .weekly),
            ])
    }

    /// Days without a backup do not count: keep-daily=3 over Mar 1, Mar 2 and Mar 5 keeps all
    /// three, though Mar 3 and Mar 4 lie between.
    @Test func periodsWithoutBackupsDoNotCount() throws {
        let backups = [F.backup(2026, 3, 1, 2), F.backup(2026, 3, 2, 2), F.backup(2026, 3, 5, 2)]

        let plan = try RetentionPolicy(keepDaily: 3).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep.map(\.id) == ["2026-03-05T02:00Z", "2026-03-02T02:00Z", "2026-03-01T02:00Z"])
        #expect(plan.remove.isEmpty)
    }

    /// keep-last counts backups, not periods: keep-last=2 over three backups of the same minute
    /// keeps the two newest (by time, then by id).
    @Test func keepLastCountsBackupsNotPeriods() throws {
        let created = F.date(2026, 3, 1, 2)
        let backups = ["a", "b", "c"].map { RetentionCandidate(id: $0, created: created) }

        let plan = try RetentionPolicy(keepLast: 2).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("c", .last, .newest), F.kept("b", .last)])
        #expect(plan.remove == ["a"])
    }
}
