import Foundation
import Scheduling
import Testing

/// Next elapses in UTC. Every expected value was printed by systemd 252's
/// `systemd-analyze calendar --iterations=N --base-time=@…` with `TZ=UTC`.
@Suite struct CalendarExpressionElapseTests {
    private static let start = "2025-01-15 10:20:30"

    @Test(arguments: [
        ("minutely", ["2025-01-15 10:21:00", "2025-01-15 10:22:00", "2025-01-15 10:23:00"]),
        ("hourly", ["2025-01-15 11:00:00", "2025-01-15 12:00:00", "2025-01-15 13:00:00"]),
        ("daily", ["2025-01-16 00:00:00", "2025-01-17 00:00:00", "2025-01-18 00:00:00"]),
        ("weekly", ["2025-01-20 00:00:00", "2025-01-27 00:00:00", "2025-02-03 00:00:00"]),
        ("monthly", ["2025-02-01 00:00:00", "2025-03-01 00:00:00", "2025-04-01 00:00:00"]),
        ("yearly", ["2026-01-01 00:00:00", "2027-01-01 00:00:00", "2028-01-01 00:00:00"]),
        ("annually", ["2026-01-01 00:00:00", "2027-01-01 00:00:00", "2028-01-01 00:00:00"]),
        ("quarterly", ["2025-04-01 00:00:00", "2025-07-01 00:00:00", "2025-10-01 00:00:00"]),
        ("semiannually", ["2025-07-01 00:00:00", "2026-01-01 00:00:00", "2026-07-01 00:00:00"]),
    ])
    func shorthandsElapseAsInSystemd(expression: String, expected: [String]) throws {
        #expect(try CalendarFixture.elapses(expression, after: Self.start, count: 3) == expected)
    }

    @Test(arguments: [
        (
            "Mon..Fri 02:00",
            ["2025-01-16 02:00:00", "2025-01-17 02:00:00", "2025-01-20 02:00:00", "2025-01-21 02:00:00"]
        ),
        ("*:0/15", ["2025-01-15 10:30:00", "2025-01-15 10:45:00", "2025-01-15 11:00:00", "2025-01-15 11:15:00"]),
        (
            "*-*-* 00/6:00:00",
            ["2025-01-15 12:00:00", "2025-01-15 18:00:00", "2025-01-16 00:00:00", "2025-01-16 06:00:00"]
        ),
        ("*-*-01", ["2025-02-01 00:00:00", "2025-03-01 00:00:00", "2025-04-01 00:00:00", "2025-05-01 00:00:00"]),
        ("*-01,07-01", ["2025-07-01 00:00:00", "2026-01-01 00:00:00", "2026-07-01 00:00:00", "2027-01-01 00:00:00"]),
        (
            "*-*-* 12:00:00",
            ["2025-01-15 12:00:00", "2025-01-16 12:00:00", "2025-01-17 12:00:00", "2025-01-18 12:00:00"]
        ),
        (
            "*-*-* 08..17/3:00",
            ["2025-01-15 11:00:00", "2025-01-15 14:00:00", "2025-01-15 17:00:00", "2025-01-16 08:00:00"]
        ),
        ("Fri *-*-13", ["2025-06-13 00:00:00", "2026-02-13 00:00:00", "2026-03-13 00:00:00", "2026-11-13 00:00:00"]),
        (
            "Sun *-*-01..07 03:00",
            ["2025-02-02 03:00:00", "2025-03-02 03:00:00", "2025-04-06 03:00:00", "2025-05-04 03:00:00"]
        ),
    ])
    func fullFormsElapseAsInSystemd(expression: String, expected: [String]) throws {
        #expect(try CalendarFixture.elapses(expression, after: Self.start, count: 4) == expected)
    }

    @Test func aDayOfMonthThatAShortMonthLacksSkipsThatMonth() throws {
        #expect(
            try CalendarFixture.elapses("*-*-31", after: Self.start, count: 6) == [
                "2025-01-31 00:00:00", "2025-03-31 00:00:00", "2025-05-31 00:00:00", "2025-07-31 00:00:00",
                "2025-08-31 00:00:00", "2025-10-31 00:00:00",
            ])
        #expect(
            try CalendarFixture.elapses("*-*-29,30,31 23:00", after: Self.start, count: 6) == [
                "2025-01-29 23:00:00", "2025-01-30 23:00:00", "2025-01-31 23:00:00", "2025-03-29 23:00:00",
                "2025-03-30 23:00:00", "2025-03-31 23:00:00",
            ])
        #expect(
            try CalendarFixture.elapses("*-*-29", after: "2024-02-28 12:00:00", count: 3) == [
                "2024-02-29 00:00:00", "2024-03-29 00:00:00", "2024-04-29 00:00:00",
            ])
    }

    @Test func february29WaitsForALeapYear() throws {
        #expect(
            try CalendarFixture.elapses("*-02-29", after: Self.start, count: 3) == [
                "2028-02-29 00:00:00", "2032-02-29 00:00:00", "2036-02-29 00:00:00",
            ])
        #expect(
            try CalendarFixture.elapses("*-02-28,29", after: Self.start, count: 6) == [
                "2025-02-28 00:00:00", "2026-02-28 00:00:00", "2027-02-28 00:00:00", "2028-02-28 00:00:00",
                "2028-02-29 00:00:00", "2029-02-28 00:00:00",
            ])
        #expect(
            try CalendarFixture.elapses("Mon *-02-29", after: Self.start, count: 3) == [
                "2044-02-29 00:00:00", "2072-02-29 00:00:00", "2112-02-29 00:00:00",
            ])
    }

    @Test(arguments: [
        ("Mon-Wed,Fri", ["2025-01-17 00:00:00", "2025-01-20 00:00:00", "2025-01-21 00:00:00", "2025-01-22 00:00:00"]),
        ("Sat..Sun", ["2025-01-18 00:00:00", "2025-01-19 00:00:00", "2025-01-25 00:00:00", "2025-01-26 00:00:00"]),
        (
            "Monday,Thursday 06:15",
            ["2025-01-16 06:15:00", "2025-01-20 06:15:00", "2025-01-23 06:15:00", "2025-01-27 06:15:00"]
        ),
        (
            "mon..WED 22:00",
            ["2025-01-15 22:00:00", "2025-01-20 22:00:00", "2025-01-21 22:00:00", "2025-01-22 22:00:00"]
        ),
    ])
    func weekdayRangesAndListsLimitTheDays(expression: String, expected: [String]) throws {
        #expect(try CalendarFixture.elapses(expression, after: Self.start, count: 4) == expected)
    }

    @Test func theNextElapseIsStrictlyAfterTheGivenTime() throws {
        let daily = try CalendarExpression("*-*-* 12:00:00", timeZone: CalendarFixture.utc)
        #expect(
            daily.nextElapse(after: CalendarFixture.date("2025-01-15 12:00:00"))
                == CalendarFixture.date("2025-01-16 12:00:00"))
        #expect(
            daily.nextElapse(after: CalendarFixture.date("2025-01-15 11:59:59.75"))
                == CalendarFixture.date("2025-01-15 12:00:00"))
        let once = try CalendarExpression("2025-01-15 10:20:31", timeZone: CalendarFixture.utc)
        #expect(
            once.nextElapse(after: CalendarFixture.date("2025-01-15 10:20:30"))
                == CalendarFixture.date("2025-01-15 10:20:31"))
        #expect(once.nextElapse(after: CalendarFixture.date("2025-01-15 10:20:31")) == nil)
    }

    @Test(arguments: ["*-02-30", "2024-*-*", "*-04-31 12:00"])
    func anExpressionThatCannotElapseAgainHasNoNextElapse(expression: String) throws {
        #expect(try CalendarFixture.elapses(expression, after: Self.start, count: 1) == [])
    }

    @Test func aRepetitionThatRunsPastItsFieldCarriesIntoTheNextOne() throws {
        #expect(
            try CalendarFixture.elapses("*-*-01/8", after: "2025-03-26 00:00:00", count: 4) == [
                "2025-04-01 00:00:00", "2025-04-09 00:00:00", "2025-04-17 00:00:00", "2025-04-25 00:00:00",
            ])
        #expect(
            try CalendarFixture.elapses("*-*-* 00/7:00", after: "2025-03-26 00:00:00", count: 4) == [
                "2025-03-26 07:00:00", "2025-03-26 14:00:00", "2025-03-26 21:00:00", "2025-03-27 00:00:00",
            ])
    }

    @Test func aTimeZoneInTheExpressionWinsOverTheOneGiven() throws {
        #expect(
            try CalendarFixture.elapses(
                "*-*-* 02:30 America/New_York", in: CalendarFixture.berlin, after: "2025-03-08 12:00:00", count: 2)
                == ["2025-03-10 06:30:00", "2025-03-11 06:30:00"])
        #expect(
            try CalendarFixture.elapses(
                "02:30 Europe/Berlin", in: CalendarFixture.newYork, after: "2025-03-08 12:00:00", count: 2)
                == ["2025-03-09 01:30:00", "2025-03-10 01:30:00"])
        #expect(
            try CalendarFixture.elapses("daily UTC", in: CalendarFixture.berlin, after: "2025-03-08 12:00:00", count: 1)
                == ["2025-03-09 00:00:00"])
    }
}
