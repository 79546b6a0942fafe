import Foundation

/// A schedule written as a systemd calendar expression (`man systemd.time`, "Calendar Events"), such as
/// `daily`, `Mon..Fri 02:00` or `*-*-01 03:30 Europe/Berlin`.
///
/// The supported subset:
/// - shorthands: `minutely`, `hourly`, `daily`, `weekly`, `monthly`, `yearly` (`annually`), `quarterly`,
///   `semiannually`, each optionally followed by a time zone;
/// - `[WEEKDAYS] [DATE] [TIME] [TIMEZONE]`:
///   - weekdays `Mon`, `Mon,Wed`, `Mon..Fri` (also `Mon-Fri`), short or long names in any case;
///   - date `YYYY-MM-DD` or `MM-DD`, default `*-*-*`;
///   - time `HH:MM` or `HH:MM:SS`, default `00:00:00`;
///   - each date or time field is `*` or a list of values `a`, ranges `a..b` and repetitions `a/step`
///     or `a..b/step`; a two-digit year `YY` means 20YY below 70 and 19YY from 70;
///   - time zone `UTC` or an IANA name such as `Europe/Berlin`; without one, the zone given to `init`.
///
/// Not supported: `~` (days counted from the end of the month), fractional seconds, `@` timestamps,
/// and zone abbreviations such as `CET`.
public struct CalendarExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    /// The zone the expression is evaluated in: the one it names, or else the one given to `init`.
    public let timeZone: TimeZone
    /// The expression spelled out in full, as systemd prints it as "Normalized form":
    /// `daily` is `*-*-* 00:00:00`, `Mon..Fri 02:00` is `Mon..Fri *-*-* 02:00:00`.
    public let normalized: String

    let weekdays: Weekdays
    let year: [Component]
    let month: [Component]
    let day: [Component]
    let hour: [Component]
    let minute: [Component]
    let second: [Component]

    /// Parses `source`; a time zone it does not name is `timeZone` (the daemon passes the host's zone).
    ///
    /// Throws an error whose message names the offending part (`unknown weekday "Mox"`,
    /// `hour 25 out of range (0..23)`) and whose column points at it.
    public init(_ source: String, timeZone: TimeZone) throws(CalendarExpressionError) {
        let fields = try Parser.parse(source)
        self.source = source
        self.timeZone = fields.zone.timeZone ?? timeZone
        weekdays = fields.weekdays
        year = fields.year
        month = fields.month
        day = fields.day
        hour = fields.hour
        minute = fields.minute
        second = fields.second
        var text = weekdays.isEmpty ? "" : weekdays.formatted + " "
        text += Self.formatted(year, width: 4) + "-" + Self.formatted(month, width: 2) + "-"
        text += Self.formatted(day, width: 2) + " " + Self.formatted(hour, width: 2) + ":"
        text += Self.formatted(minute, width: 2) + ":" + Self.formattedSeconds(second)
        if let name = fields.zone.name { text += " " + name }
        normalized = text
    }

    /// The normalized form.
    public var description: String { normalized }

    /// Two expressions are equal when they elapse at the same times: same normalized form, same zone.
    public static func == (lhs: CalendarExpression, rhs: CalendarExpression) -> Bool {
        lhs.normalized == rhs.normalized && lhs.timeZone.identifier == rhs.timeZone.identifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
        hasher.combine(timeZone.identifier)
    }
}
