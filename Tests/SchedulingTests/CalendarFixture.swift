import Foundation
import Scheduling

/// Zones, and dates written as UTC text, for the calendar and schedule tests: a manual clock.
enum CalendarFixture {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar
    }()

    /// `"2025-03-30 01:30:00"` (or with a fraction, `"… 01:30:00.25"`), read as UTC.
    static func date(_ text: String) -> Date {
        let parts = text.split(whereSeparator: { "- :".contains($0) })
        let second = Double(parts[5])!
        let whole = utcCalendar.date(
            from: DateComponents(
                year: Int(parts[0]), month: Int(parts[1]), day: Int(parts[2]), hour: Int(parts[3]),
                minute: Int(parts[4])))!
        return whole.addingTimeInterval(second)
    }

    /// `date` as UTC text, `"2025-03-30 01:30:00"`.
    static func text(_ date: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value! < 10 ? "0\(value!)" : "\(value!)" }
        return
            "\(parts.year!)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    /// The first `count` elapses of `expression` after `start` (UTC text), each found from the one
    /// before it, as UTC text; stops early at `nil`.
    static func elapses(_ expression: String, in zone: TimeZone = utc, after start: String, count: Int) throws
        -> [String]
    {
        let parsed = try CalendarExpression(expression, timeZone: zone)
        var found: [String] = []
        var date = Self.date(start)
        while found.count < count, let next = parsed.nextElapse(after: date) {
            found.append(text(next))
            date = next
        }
        return found
    }
}
