import Foundation
import Testing

@testable import Scheduling

/// Period boundaries: local wall-clock hours, days, months and years in the given time zone;
/// ISO 8601 weeks named by week-year.
@Suite struct RetentionCalendarTests {
    private typealias F = RetentionFixture

    /// Daily at 12:00 UTC from Mon 2020-12-21 through Tue 2021-01-12, keep-weekly=4.
    /// ISO weeks: 2020-W52 Dec 21–27, 2020-W53 Dec 28–Jan 3 (one week across New Year),
    /// 2021-W01 Jan 4–10, 2021-W02 Jan 11–. Kept: Jan 12 (W02), Sun Jan 10 (W01),
    /// Sun Jan 3 (W53), Sun Dec 27 (W52). Naming weeks by calendar year would split W53 and keep
    /// Dec 31 instead of Dec 27.
    @Test func week53SpansNewYearAsOneWeek() throws {
        let backups = F.daily(from: F.date(2020, 12, 21, 12), through: F.date(2021, 1, 12, 12))

        let plan = try RetentionPolicy(keepWeekly: 4).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2021-01-12T12:00Z", .weekly, .newest), F.kept("2021-01-10T12:00Z", .weekly),
                F.kept("2021-01-03T12:00Z", .weekly), F.kept("2020-12-27T12:00Z", .weekly),
            ])
    }

    /// Daily at 12:00 UTC from Mon 2024-12-23 through Mon 2025-01-06, keep-weekly=3.
    /// ISO weeks: 2024-W52 Dec 23–29, 2025-W01 Mon Dec 30 2024–Jan 5, 2025-W02 Jan 6–.
    /// Kept: Jan 6 (W02), Sun Jan 5 (W01), Sun Dec 29 (W52). Naming weeks by calendar year would
    /// split W01 and keep Dec 31 instead of Dec 29.
    @Test func week1StartsInDecember() throws {
        let backups = F.daily(from: F.date(2024, 12, 23, 12), through: F.date(2025, 1, 6, 12))

        let plan = try RetentionPolicy(keepWeekly: 3).plan(for: backups, timeZone: F.utc)

        #expect(
            plan.keep == [
                F.kept("2025-01-06T12:00Z", .weekly, .newest), F.kept("2025-01-05T12:00Z", .weekly),
                F.kept("2024-12-29T12:00Z", .weekly),
            ])
    }

    /// The same backups with keep-yearly=2: years are calendar years, so 2024's newest is
    /// Dec 31 (though it lies in 2025-W01).
    @Test func yearsAreCalendarYearsNotWeekYears() throws {
        let backups = F.daily(from: F.date(2024, 12, 23, 12), through: F.date(2025, 1, 6, 12))

        let plan = try RetentionPolicy(keepYearly: 2).plan(for: backups, timeZone: F.utc)

        #expect(plan.keep == [F.kept("2025-01-06T12:00Z", .yearly, .newest), F.kept("2024-12-31T12:00Z", .yearly)])
    }

    /// Daily at 23:30 New York time (EST, UTC-5) from 2024-01-28 through 2024-03-02,
    /// keep-monthly=3: Mar 2, Feb 29 (a leap year), Jan 31, each at 23:30 local. In UTC these are
    /// 04:30 the next morning, so UTC months would keep Feb 28 and Jan 30 instead.
    @Test func monthsEndAtLocalMidnight() throws {
        let zone = F.newYork
        let backups = F.daily(
            from: F.date(2024, 1, 28, 23, 30, in: zone), through: F.date(2024, 3, 2, 23, 30, in: zone), in: zone)

        let plan = try RetentionPolicy(keepMonthly: 3).plan(for: backups, timeZone: zone)

        #expect(
            plan.keep == [
                F.kept("2024-03-02T23:30-05:00", .monthly, .newest), F.kept("2024-02-29T23:30-05:00", .monthly),
                F.kept("2024-01-31T23:30-05:00", .monthly),
            ])
    }

    /// Hourly at :30 in Europe/Berlin from 2025-10-25 12:30 CEST through 2025-10-27 06:30 CET,
    /// keep-daily=3. Clocks go back on Oct 26 at 03:00 CEST, so Oct 26 has 25 hourly backups
    /// (22:30 UTC on Oct 25 through 22:30 UTC on Oct 26) and is one day. Kept: Oct 27 06:30+01:00,
    /// Oct 26 23:30+01:00, Oct 25 23:30+02:00. A day cut as 24 hours from local midnight would put
    /// Oct 26 23:30+01:00 into Oct 27.
    @Test func theTwentyFiveHourDayIsOneDay() throws {
        let zone = F.berlin
        let backups = F.hourly(from: F.date(2025, 10, 25, 10, 30), through: F.date(2025, 10, 27, 5, 30), in: zone)
        #expect(backups.filter { $0.id.hasPrefix("2025-10-26T") }.count == 25)

        let plan = try RetentionPolicy(keepDaily: 3).plan(for: backups, timeZone: zone)

        #expect(
            plan.keep == [
                F.kept("2025-10-27T06:30+01:00", .daily, .newest), F.kept("2025-10-26T23:30+01:00", .daily),
                F.kept("2025-10-25T23:30+02:00", .daily),
            ])
    }

    /// Hourly at :30 in Europe/Berlin from 2025-03-29 13:30 CET through 2025-03-31 03:30 CEST,
    /// keep-daily=2. Clocks go forward on Mar 30 at 02:00 CET, so Mar 30 has 23 hourly backups.
    /// Kept: Mar 31 03:30+02:00, Mar 30 23:30+02:00.
    @Test func theTwentyThreeHourDayIsOneDay() throws {
        let zone = F.berlin
        let backups = F.hourly(from: F.date(2025, 3, 29, 12, 30), through: F.date(2025, 3, 31, 1, 30), in: zone)
        #expect(backups.filter { $0.id.hasPrefix("2025-03-30T") }.count == 23)

        let plan = try RetentionPolicy(keepDaily: 2).plan(for: backups, timeZone: zone)

        #expect(
            plan.keep == [
                F.kept("2025-03-31T03:30+02:00", .daily, .newest), F.kept("2025-03-30T23:30+02:00", .daily),
            ])
    }

    /// Hours are wall-clock hours, as Proxmox names them (`%Y/%m/%d/%H` in local time): the hour
    /// 02:00–03:00 that Europe/Berlin lives twice on 2025-10-26 is one hourly period.
    /// Backups at 01:30+02:00, 02:30+02:00, 02:30+01:00, 03:30+01:00, keep-hourly=3: hour 03
    /// keeps 03:30; hour 02 keeps 02:30+01:00 and passes over 02:30+02:00; hour 01 keeps 01:30.
    @Test func theRepeatedHourIsOneHour() throws {
        let zone = F.berlin
        let backups = F.hourly(from: F.date(2025, 10, 25, 23, 30), through: F.date(2025, 10, 26, 2, 30), in: zone)
        #expect(
            backups.map(\.id) == [
                "2025-10-26T01:30+02:00", "2025-10-26T02:30+02:00", "2025-10-26T02:30+01:00", "2025-10-26T03:30+01:00",
            ])

        let plan = try RetentionPolicy(keepHourly: 3).plan(for: backups, timeZone: zone)

        #expect(
            plan.keep == [
                F.kept("2025-10-26T03:30+01:00", .hourly, .newest), F.kept("2025-10-26T02:30+01:00", .hourly),
                F.kept("2025-10-26T01:30+02:00", .hourly),
            ])
        #expect(plan.remove == ["2025-10-26T02:30+02:00"])
    }

    /// The same instants bucketed in another zone give other days: 23:30 New York time on Feb 29
    /// and Mar 1 are Mar 1 and Mar 2 in UTC.
    @Test func theTimeZoneDecidesTheBuckets() throws {
        let backups = [
            F.backup(2024, 3, 1, 23, 30, in: F.newYork), F.backup(2024, 2, 29, 23, 30, in: F.newYork),
            F.backup(2024, 2, 28, 23, 30, in: F.newYork),
        ]
        let policy = try RetentionPolicy(keepMonthly: 2)

        #expect(
            try policy.plan(for: backups, timeZone: F.newYork).keep.map(\.id) == [
                "2024-03-01T23:30-05:00", "2024-02-29T23:30-05:00",
            ])
        #expect(
            try policy.plan(for: backups, timeZone: F.utc).keep.map(\.id) == [
                "2024-03-01T23:30-05:00", "2024-02-28T23:30-05:00",
            ])
    }
}
