import Foundation

extension CalendarExpression {
    /// A local date and time, as C's `struct tm` holds it: fields may run past their range (minute 60,
    /// day 32, month 13) until `LocalTimeConverter.normalize` carries them over.
    struct LocalTime: Equatable, Sendable {
        var year: Int
        /// 1...12 once normalized.
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int

        /// A field of a local time, largest first.
        enum Unit: Int, CaseIterable, Comparable {
            case year, month, day, hour, minute, second

            /// The field's first value: 1 for months and days, 0 for the others.
            var first: Int { self == .month || self == .day ? 1 : 0 }

            /// The next smaller field, or `nil` for seconds.
            var smaller: Unit? { Unit(rawValue: rawValue + 1) }

            static func < (lhs: Unit, rhs: Unit) -> Bool { lhs.rawValue < rhs.rawValue }
        }

        subscript(unit: Unit) -> Int {
            get {
                switch unit {
                case .year: year
                case .month: month
                case .day: day
                case .hour: hour
                case .minute: minute
                case .second: second
                }
            }
            set {
                switch unit {
                case .year: year = newValue
                case .month: month = newValue
                case .day: day = newValue
                case .hour: hour = newValue
                case .minute: minute = newValue
                case .second: second = newValue
                }
            }
        }

        /// This time with `unit` set to `value` and every smaller field at its first value.
        func setting(_ unit: Unit, to value: Int) -> LocalTime {
            var time = self
            time[unit] = value
            for smaller in Unit.allCases where smaller > unit { time[smaller] = smaller.first }
            return time
        }

        /// The start of the next year, month, day, hour or minute; not normalized (month 13, day 32).
        func start(ofNext unit: Unit) -> LocalTime {
            setting(unit, to: self[unit] + 1)
        }
    }

    /// Converts between instants and local times in one zone, the way systemd's calendar code does
    /// through glibc's `localtime_r` and `mktime` (with `tm_isdst = -1`).
    ///
    /// - A local time skipped by a spring-forward transition is read with the offset in force before
    ///   it, so it lands that much later: 02:30 on the day Berlin skips 02:00–03:00 becomes 03:30.
    /// - A local time that occurs twice (autumn) is read with the offset of the previous conversion,
    ///   so a search that started before the transition stays on its first occurrence and one that
    ///   started in the repeated hour stays on the second.
    ///
    /// Dates are computed with a Gregorian `Calendar`; the zone supplies the offsets.
    struct LocalTimeConverter {
        let zone: TimeZone
        private let zonedCalendar: Calendar
        private let civilCalendar: Calendar
        /// The offset (local minus UTC, in seconds) the previous conversion used: glibc's guess.
        private var previousOffset: Int

        /// A converter whose first guess is the offset in force at `instant`.
        init(zone: TimeZone, startingAt instant: Int) {
            self.zone = zone
            var zoned = Calendar(identifier: .gregorian)
            zoned.timeZone = zone
            zonedCalendar = zoned
            var civil = Calendar(identifier: .gregorian)
            civil.timeZone = TimeZone(identifier: "UTC")!
            civilCalendar = civil
            previousOffset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }

        /// The local time at `instant` (seconds since 1970), like `localtime_r`.
        func localTime(at instant: Int) -> LocalTime {
            let parts = zonedCalendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(instant))
            )
            return LocalTime(
                year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!,
                second: parts.second!)
        }

        /// Carries overflowing fields over and finds the instant of `time`, like `mktime`.
        mutating func normalize(_ time: LocalTime) -> (time: LocalTime, instant: Int) {
            let local = localSeconds(time)
            let instant = resolve(local)
            previousOffset = local - instant
            return (localTime(at: instant), instant)
        }

        /// The day of the week of a normalized local time, Monday = 0.
        func dayIndex(of time: LocalTime) -> Int {
            let days = Self.floorDivide(localSeconds(time), 86_400)
            return ((days + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday
        }

        /// `time` read as if it were UTC: seconds since 1970, overflowing fields carried over linearly.
        private func localSeconds(_ time: LocalTime) -> Int {
            let months = time.month - 1
            let year = time.year + Self.floorDivide(months, 12)
            let month = months - Self.floorDivide(months, 12) * 12 + 1
            let firstOfMonth = civilCalendar.date(from: DateComponents(year: year, month: month, day: 1))!
            return Int(firstOfMonth.timeIntervalSince1970) + (time.day - 1) * 86_400 + time.hour * 3_600
                + time.minute * 60 + time.second
        }

        /// The instant whose local time is `local` (seconds since 1970 read as UTC).
        private func resolve(_ local: Int) -> Int {
            let before = offset(at: local - 86_400)
            let after = offset(at: local + 86_400)
            let candidates = Set([before, after]).map { local - $0 }.filter { local - offset(at: $0) == $0 }.sorted()
            switch candidates.count {
            case 0:
                return local - before  // skipped: read with the offset in force before the gap
            case 1:
                return candidates[0]
            default:
                let guess = local - previousOffset
                return candidates.min { abs($0 - guess) < abs($1 - guess) }!
            }
        }

        private func offset(at instant: Int) -> Int {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        }

        static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
            let quotient = value / divisor
            return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
        }
    }
}
