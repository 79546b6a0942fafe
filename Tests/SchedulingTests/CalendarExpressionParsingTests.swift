import Foundation
import Scheduling
import Testing

@Suite struct CalendarExpressionParsingTests {
    /// Each normalized form is the "Normalized form" systemd 252's `systemd-analyze calendar` printed.
    @Test(arguments: [
        ("daily", "*-*-* 00:00:00"),
        ("Daily", "*-*-* 00:00:00"),
        ("HOURLY", "*-*-* *:00:00"),
        ("minutely", "*-*-* *:*:00"),
        ("weekly", "Mon *-*-* 00:00:00"),
        ("monthly", "*-*-01 00:00:00"),
        ("yearly", "*-01-01 00:00:00"),
        ("annually", "*-01-01 00:00:00"),
        ("quarterly", "*-01,04,07,10-01 00:00:00"),
        ("semiannually", "*-01,07-01 00:00:00"),
        ("Mon..Fri 02:00", "Mon..Fri *-*-* 02:00:00"),
        ("*:0/15", "*-*-* *:00/15:00"),
        ("*-*-* 00/6:00:00", "*-*-* 00/6:00:00"),
        ("*-*-01", "*-*-01 00:00:00"),
        ("*-01,07-01", "*-01,07-01 00:00:00"),
        ("01-15", "*-01-15 00:00:00"),
        ("25-01-01", "2025-01-01 00:00:00"),
        ("2025-1-1", "2025-01-01 00:00:00"),
        ("12:00", "*-*-* 12:00:00"),
        ("12:00:30", "*-*-* 12:00:30"),
        ("*-*-* 2:3:4", "*-*-* 02:03:04"),
        ("*:*", "*-*-* *:*:00"),
        ("*:*:*", "*-*-* *:*:*"),
        ("*:*:0/10", "*-*-* *:*:00/10"),
        ("*-*-1/10", "*-*-01/10 00:00:00"),
        ("*-*-* 5,1,3,1:00", "*-*-* 01,03,05:00:00"),
        ("*-*-* 3,1..5:00", "*-*-* 01..05,03:00:00"),
        ("*-*-* 0,0/2:00", "*-*-* 00,00/2:00:00"),
        ("*-*-* 1..5:00", "*-*-* 01..05:00:00"),
        ("*-*-* 1..5/1:00", "*-*-* 01..05:00:00"),
        ("*-*-* 08..17/2:00", "*-*-* 08..16/2:00:00"),
        ("*-*-* 1..2/5:00", "*-*-* 01:00:00"),
        ("*-*-* 0..23/24:00", "*-*-* 00:00:00"),
        ("2025..2030-01-01", "2025..2030-01-01 00:00:00"),
        ("Wed,Mon", "Mon,Wed *-*-* 00:00:00"),
        ("Mon,Tue", "Mon,Tue *-*-* 00:00:00"),
        ("Mon,Tue,Wed", "Mon..Wed *-*-* 00:00:00"),
        ("Mon-Fri", "Mon..Fri *-*-* 00:00:00"),
        ("mon..FRIDAY", "Mon..Fri *-*-* 00:00:00"),
        ("Sat,Mon..Wed 12:00", "Mon..Wed,Sat *-*-* 12:00:00"),
        ("Mon,Tue,Wed,Fri,Sat,Sun", "Mon..Wed,Fri..Sun *-*-* 00:00:00"),
        ("Mon..Sun", "*-*-* 00:00:00"),
        ("Mon  12:00", "Mon *-*-* 12:00:00"),
        ("Mon *-*-01", "Mon *-*-01 00:00:00"),
        ("*-*-* 12:00 utc", "*-*-* 12:00:00 UTC"),
        ("daily UTC", "*-*-* 00:00:00 UTC"),
        ("12:00 Europe/Berlin", "*-*-* 12:00:00 Europe/Berlin"),
        ("quarterly America/New_York", "*-01,04,07,10-01 00:00:00 America/New_York"),
    ])
    func theNormalizedFormIsSystemds(expression: String, normalized: String) throws {
        let parsed = try CalendarExpression(expression, timeZone: CalendarFixture.utc)
        #expect(parsed.normalized == normalized)
        #expect(parsed.description == normalized)
        #expect(parsed.source == expression)
    }

    /// systemd rejects each of these too; the messages are ours.
    @Test(arguments: [
        ("", "empty expression", 1),
        (" daily", "unexpected whitespace at the start", 1),
        ("daily ", "unexpected whitespace at the end", 6),
        ("Mox 02:00", "unknown weekday \"Mox\"", 1),
        ("Mond 12:00", "unknown weekday \"Mond\"", 1),
        ("Mon,Tux", "unknown weekday \"Tux\"", 5),
        ("Sat..Mon", "weekday range \"Sat..Mon\" goes backwards", 1),
        ("Mon..Wed..Fri", "weekday range \"Mon..Wed..Fri\" has more than two ends", 1),
        ("Mon.. 12:00", "weekday range \"Mon..\" has no end", 1),
        ("Mon Tue", "weekdays must be one list, such as \"Mon,Fri\", before the date and time", 5),
        ("daily 12:00", "\"daily\" cannot be combined with other fields", 1),
        ("*-*-* 25:00", "hour 25 out of range (0..23)", 7),
        ("*-*-* 12:60", "minute 60 out of range (0..59)", 10),
        ("*-*-* 12:00:60", "second 60 out of range (0..59)", 13),
        ("*-13-01", "month 13 out of range (1..12)", 3),
        ("*-*-32", "day 32 out of range (1..31)", 5),
        ("*-*-00", "day 00 out of range (1..31)", 5),
        ("1969-01-01", "year 1969 out of range (1970..2199)", 1),
        ("2200-01-01", "year 2200 out of range (1970..2199)", 1),
        ("*-*-* 5..3:00", "hour range 5..3 goes backwards", 7),
        ("*:*:35..35", "second range 35..35 must end after it starts", 5),
        ("*-*-* 0/0:00", "hour step 0 must be at least 1", 9),
        ("*-*-* 0/24:00", "hour step 24 too large (at most 23)", 9),
        ("*-*-* 20/5:00", "hour 20/5 never repeats: 25 is past 23", 7),
        ("*-*-* */2:00", "\"*/2\" is not supported: write \"0/2\"", 7),
        ("*-*-* 12", "time \"12\" needs minutes, as in \"12:00\"", 7),
        ("*-*-* 1,,2:00", "expected a number, found \",2:00\"", 9),
        ("*-*-* 12:00x", "unexpected \"x\"", 12),
        ("12:00  UTC", "unexpected \" \"", 6),
        ("12:00 Mars/Olympus", "unknown time zone \"Mars/Olympus\"", 7),
        ("12:00 Europe/berlin", "unknown time zone \"Europe/berlin\"", 7),
    ])
    func anInvalidExpressionIsRejectedSayingWhatAndWhere(expression: String, message: String, column: Int) {
        #expect(throws: CalendarExpressionError(expression: expression, message: message, column: column)) {
            try CalendarExpression(expression, timeZone: CalendarFixture.utc)
        }
    }

    /// systemd accepts these; this subset does not.
    @Test(arguments: [
        ("*-*~01", "\"~\" (days counted from the end of the month) is not supported", 4),
        ("@1700000000", "\"@\" timestamps are not supported", 1),
        ("*-*-* 12:00:00.5", "fractional seconds are not supported", 15),
        ("12:00 CET", "time zone \"CET\" is not supported: write UTC or an IANA name such as \"Europe/Berlin\"", 7),
    ])
    func anUnsupportedFormIsRejectedNamingIt(expression: String, message: String, column: Int) {
        #expect(throws: CalendarExpressionError(expression: expression, message: message, column: column)) {
            try CalendarExpression(expression, timeZone: CalendarFixture.utc)
        }
    }

    @Test func theErrorReadsAsOneLine() {
        let error = CalendarExpressionError(expression: "Mox 02:00", message: "unknown weekday \"Mox\"", column: 1)
        #expect(error.description == "unknown weekday \"Mox\" (column 1)")
    }

    @Test func theZoneIsTheNamedOneElseTheOneGiven() throws {
        #expect(try CalendarExpression("daily", timeZone: CalendarFixture.berlin).timeZone == CalendarFixture.berlin)
        #expect(
            try CalendarExpression("daily America/New_York", timeZone: CalendarFixture.berlin).timeZone
                == CalendarFixture.newYork)
        #expect(try CalendarExpression("daily UTC", timeZone: CalendarFixture.berlin).timeZone.secondsFromGMT() == 0)
    }

    @Test func expressionsThatElapseAlikeAreEqual() throws {
        let utc = CalendarFixture.utc
        #expect(try CalendarExpression("daily", timeZone: utc) == CalendarExpression("*-*-* 00:00:00", timeZone: utc))
        #expect(try CalendarExpression("Mon-Fri", timeZone: utc) == CalendarExpression("Fri,Mon..Thu", timeZone: utc))
        #expect(
            try CalendarExpression("daily", timeZone: utc)
                != CalendarExpression("daily", timeZone: CalendarFixture.berlin))
        #expect(try CalendarExpression("daily", timeZone: utc) != CalendarExpression("weekly", timeZone: utc))
    }
}
