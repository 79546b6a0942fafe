import Foundation

/// The slot a backup falls into for one keep option: the backup itself for `keep-last`, or the
/// local calendar period that holds its creation time.
enum RetentionSlot: Hashable {
    /// `keep-last`: every backup is a slot of its own.
    case backup(String)
    /// A calendar period, as the numbers that name it: year, month, day, hour; or ISO week-year and
    /// week.
    case period([Int])
}

/// Finds the local calendar period of a date, the way Proxmox Backup Server formats it with
/// `strftime` in local time: `%Y/%m/%d/%H`, `%Y/%m/%d`, `%G/%V`, `%Y/%m`, `%Y`.
///
/// Periods are named by wall-clock fields, so a day is one period however many hours it has,
/// and the hour repeated when clocks go back is one hourly period.
struct RetentionCalendar {
    private let calendar: Calendar

    init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // ISO 8601 weeks: Monday first; week 1 is the week with the year's first Thursday.
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        self.calendar = calendar
    }

    /// The slot of `candidate` for `option`.
    func slot(of candidate: RetentionCandidate, for option: RetentionOption) -> RetentionSlot {
        let date = candidate.created
        switch option {
        case .last:
            return .backup(candidate.id)
        case .hourly:
            let parts = calendar.dateComponents([.year, .month, .day, .hour], from: date)
            return .period([parts.year, parts.month, parts.day, parts.hour].map { $0 ?? 0 })
        case .daily:
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return .period([parts.year, parts.month, parts.day].map { $0 ?? 0 })
        case .weekly:
            // The week-year, not the calendar year: 2021-01-03 is in week 53 of 2020.
            let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            return .period([parts.yearForWeekOfYear, parts.weekOfYear].map { $0 ?? 0 })
        case .monthly:
            let parts = calendar.dateComponents([.year, .month], from: date)
            return .period([parts.year, parts.month].map { $0 ?? 0 })
        case .yearly:
            return .period([calendar.component(.year, from: date)])
        }
    }
}
