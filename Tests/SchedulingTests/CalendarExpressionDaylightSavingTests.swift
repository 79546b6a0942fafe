import Foundation
import Scheduling
import Testing

/// Elapses across daylight saving time changes. Every expected value (UTC) was printed by systemd 252's
/// `systemd-analyze calendar` with `TZ=Europe/Berlin` or `TZ=America/New_York`; the comments give the
/// local times it printed.
@Suite struct CalendarExpressionDaylightSavingTests {
    private let berlin = CalendarFixture.berlin
    private let newYork = CalendarFixture.newYork

    // Berlin springs forward on 2025-03-30 at 02:00 CET (01:00 UTC) to 03:00 CEST.

    @Test func aDailyTimeInTheSpringGapDoesNotElapseThatDay() throws {
        // Mon 02:30 CEST, Tue 02:30 CEST, Wed 02:30 CEST: Sunday has no 02:30.
        #expect(
            try CalendarFixture.elapses("*-*-* 02:30", in: berlin, after: "2025-03-29 12:00:00", count: 3) == [
                "2025-03-31 00:30:00", "2025-04-01 00:30:00", "2025-04-02 00:30:00",
            ])
        #expect(
            try CalendarFixture.elapses("*-*-* 02:00", in: berlin, after: "2025-03-29 12:00:00", count: 1) == [
                "2025-03-31 00:00:00"
            ])
        // 03:00 CEST exists on the day of the change.
        #expect(
            try CalendarFixture.elapses("*-*-* 03:00", in: berlin, after: "2025-03-29 12:00:00", count: 2) == [
                "2025-03-30 01:00:00", "2025-03-31 01:00:00",
            ])
    }

    @Test func aRepetitionResumesAfterTheSpringGap() throws {
        // 00:30 CET, 01:30 CET, 03:30 CEST, 04:30 CEST.
        #expect(
            try CalendarFixture.elapses("*:30", in: berlin, after: "2025-03-29 23:00:00", count: 4) == [
                "2025-03-29 23:30:00", "2025-03-30 00:30:00", "2025-03-30 01:30:00", "2025-03-30 02:30:00",
            ])
        // 01:00 CET, 03:00 CEST, 04:00 CEST.
        #expect(
            try CalendarFixture.elapses("*-*-* 00/1:00", in: berlin, after: "2025-03-29 23:00:00", count: 3) == [
                "2025-03-30 00:00:00", "2025-03-30 01:00:00", "2025-03-30 02:00:00",
            ])
        // 01:15 CET, 03:15 CEST, then Monday 01:15 and 02:15 CEST: 02:15 is skipped, not moved.
        #expect(
            try CalendarFixture.elapses("*-*-* 01,02,03:15", in: berlin, after: "2025-03-29 23:00:00", count: 4) == [
                "2025-03-30 00:15:00", "2025-03-30 01:15:00", "2025-03-30 23:15:00", "2025-03-31 00:15:00",
            ])
    }

    // Berlin falls back on 2025-10-26 at 03:00 CEST (01:00 UTC) to 02:00 CET: 02:00–02:59 occur twice.

    @Test func aDailyTimeInTheRepeatedHourElapsesOnceOnItsFirstOccurrence() throws {
        // Sun 02:30 CEST, Mon 02:30 CET, Tue 02:30 CET.
        #expect(
            try CalendarFixture.elapses("*-*-* 02:30", in: berlin, after: "2025-10-25 12:00:00", count: 3) == [
                "2025-10-26 00:30:00", "2025-10-27 01:30:00", "2025-10-28 01:30:00",
            ])
    }

    @Test func aRepetitionDoesNotRunTwiceInTheRepeatedHour() throws {
        // 00:30, 01:30, 02:30 CEST, then 03:30 CET: not 02:30 CET.
        #expect(
            try CalendarFixture.elapses("*:30", in: berlin, after: "2025-10-25 22:00:00", count: 5) == [
                "2025-10-25 22:30:00", "2025-10-25 23:30:00", "2025-10-26 00:30:00", "2025-10-26 02:30:00",
                "2025-10-26 03:30:00",
            ])
        // 01:00, 02:00 CEST, 03:00 CET.
        #expect(
            try CalendarFixture.elapses("*-*-* 00/1:00", in: berlin, after: "2025-10-25 22:00:00", count: 3) == [
                "2025-10-25 23:00:00", "2025-10-26 00:00:00", "2025-10-26 02:00:00",
            ])
    }

    @Test func aSearchFromTheFirstOccurrenceMovesOnInLocalTime() throws {
        // From 02:40 CEST, the next :10 is 03:10 CET, not 02:10 CET.
        #expect(
            try CalendarFixture.elapses("*:10", in: berlin, after: "2025-10-26 00:40:00", count: 2) == [
                "2025-10-26 02:10:00", "2025-10-26 03:10:00",
            ])
        #expect(
            try CalendarFixture.elapses("*:0/20", in: berlin, after: "2025-10-26 00:40:00", count: 2) == [
                "2025-10-26 02:00:00", "2025-10-26 02:20:00",
            ])
    }

    @Test func aSearchFromTheSecondOccurrenceStaysOnIt() throws {
        // From 02:10 CET: 02:30 CET.
        #expect(
            try CalendarFixture.elapses("*:30", in: berlin, after: "2025-10-26 01:10:00", count: 2) == [
                "2025-10-26 01:30:00", "2025-10-26 02:30:00",
            ])
        #expect(
            try CalendarFixture.elapses("*-*-* 02:30", in: berlin, after: "2025-10-26 01:10:00", count: 2) == [
                "2025-10-26 01:30:00", "2025-10-27 01:30:00",
            ])
    }

    // New York springs forward on 2025-03-09 at 02:00 EST (07:00 UTC) and falls back on 2025-11-02 at
    // 02:00 EDT (06:00 UTC): 01:00–01:59 occur twice.

    @Test func newYorkSpringForward() throws {
        // Mon 02:30 EDT: Sunday has no 02:30.
        #expect(
            try CalendarFixture.elapses("*-*-* 02:30", in: newYork, after: "2025-03-08 12:00:00", count: 2) == [
                "2025-03-10 06:30:00", "2025-03-11 06:30:00",
            ])
        // Sun 00:00 EST, Mon 00:00 EDT.
        #expect(
            try CalendarFixture.elapses("daily", in: newYork, after: "2025-03-08 12:00:00", count: 2) == [
                "2025-03-09 05:00:00", "2025-03-10 04:00:00",
            ])
        // 00:30 EST, 01:30 EST, 03:30 EDT.
        #expect(
            try CalendarFixture.elapses("*:30", in: newYork, after: "2025-03-09 05:00:00", count: 3) == [
                "2025-03-09 05:30:00", "2025-03-09 06:30:00", "2025-03-09 07:30:00",
            ])
    }

    @Test func newYorkFallBack() throws {
        // Sun 01:30 EDT, Mon 01:30 EST.
        #expect(
            try CalendarFixture.elapses("*-*-* 01:30", in: newYork, after: "2025-11-01 12:00:00", count: 2) == [
                "2025-11-02 05:30:00", "2025-11-03 06:30:00",
            ])
        // 00:30 EDT, 01:30 EDT, 02:30 EST: not 01:30 EST.
        #expect(
            try CalendarFixture.elapses("*:30", in: newYork, after: "2025-11-02 04:00:00", count: 3) == [
                "2025-11-02 04:30:00", "2025-11-02 05:30:00", "2025-11-02 07:30:00",
            ])
        // From 01:10 EST: 01:30 EST.
        #expect(
            try CalendarFixture.elapses("*-*-* 01:30", in: newYork, after: "2025-11-02 06:10:00", count: 2) == [
                "2025-11-02 06:30:00", "2025-11-03 06:30:00",
            ])
    }

    /// systemd 252 gets these two wrong, through a stale daylight-saving flag when a repetition runs past
    /// the end of a month: it skips to 2026-11-09 for the first and loops ("Resource deadlock avoided")
    /// for the second. The elapses here are the ones the expressions describe.
    @Test func aRepetitionRunningPastTheMonthIntoAChangeOfOffsetIsNotSkipped() throws {
        // 2026-11-01 is the Sunday New York falls back: 00:00 EDT.
        #expect(
            try CalendarFixture.elapses("*-*-01/8", in: newYork, after: "2026-10-25 19:35:00", count: 2) == [
                "2026-11-01 04:00:00", "2026-11-09 05:00:00",
            ])
        // January 1, 00:00 CET.
        #expect(
            try CalendarFixture.elapses("*-01/5-01", in: berlin, after: "2025-11-15 00:00:00", count: 2) == [
                "2025-12-31 23:00:00", "2026-05-31 22:00:00",
            ])
    }
}
