import Foundation

extension CalendarExpression {
    /// The last year an expression can elapse in, as in systemd.
    static let lastYear = 2199
    /// A bound on the field-by-field search, as in systemd; no expression that can elapse needs as many.
    private static let searchLimit = 1_000

    /// The first time strictly after `date` that matches the expression, or `nil` when it never elapses
    /// again (a past year, `*-02-30`, or beyond 2199).
    ///
    /// Follows systemd's search field by field (year, month, day, weekday, hour, minute, second) in
    /// local time, so month ends and daylight saving time come out as systemd computes them:
    /// - `*-*-31` skips months without a 31st and `*-02-29` waits for a leap year;
    /// - a time skipped in spring does not elapse that day (`02:30` in Berlin on the last Sunday of
    ///   March), and a repetition resumes after the gap (`*:30` runs at 01:30 and then 03:30);
    /// - a time repeated in autumn elapses once, on the occurrence the search reaches first: from
    ///   before the transition the first one (`02:30` CEST), from inside the repeated hour the second.
    ///
    /// One difference is deliberate: when a repetition runs past the end of a month into a day whose UTC
    /// offset differs (`*-*-01/8` with a change of offset on the 1st, `*-01/5-01` in a zone with daylight
    /// saving time), systemd 252 reads the new day with the previous offset and skips the elapse or gives
    /// up; here the elapse is found.
    public func nextElapse(after date: Date) -> Date? {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        guard micros.isFinite, abs(micros) < 1e17 else { return nil }
        let after = Int(micros) + 1
        let instant = LocalTimeConverter.floorDivide(after, 1_000_000)
        var converter = LocalTimeConverter(zone: timeZone, startingAt: instant)
        let start = converter.localTime(at: instant)
        guard let found = search(from: start, microsecond: after - instant * 1_000_000, converter: &converter)
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(converter.normalize(found).instant))
    }

    /// How a field's value fits the calendar.
    private enum Fit {
        /// The local time exists as it is.
        case exact
        /// It did not (day 31 of a 30-day month, a skipped hour): it was moved on to the next valid time.
        case moved
        /// It is past the last year, or normalizing it would go backwards.
        case outOfBounds
    }

    /// systemd's `find_next`: fixes the fields one by one from the year down. When a field has no value
    /// left, or its value does not exist (day 31 of April, an hour skipped in spring), it steps the
    /// field above and starts over from the year.
    private func search(from start: LocalTime, microsecond: Int, converter: inout LocalTimeConverter) -> LocalTime? {
        var time = start
        var microsecond = microsecond

        func restart(at reset: LocalTime) {
            time = reset
            microsecond = 0
        }

        /// Sets `unit` to its first value in `field` from where the search stands; `false` means start over.
        func settle(_ unit: LocalTime.Unit, in field: [Component], carryingInto parent: LocalTime.Unit) -> Bool {
            guard let value = Self.firstValue(in: field, atOrAfter: time[unit]) else {
                restart(at: time.start(ofNext: parent))
                return false
            }
            if value != time[unit] { restart(at: time.setting(unit, to: value)) }
            switch fit(&time, converter: &converter) {
            case .exact:
                return true
            case .moved:
                return false
            case .outOfBounds:
                restart(at: time.start(ofNext: parent))
                return false
            }
        }

        for _ in 0..<Self.searchLimit {
            time = converter.normalize(time).time

            guard let year = Self.firstValue(in: self.year, atOrAfter: time.year) else { return nil }
            if year != time.year { restart(at: time.setting(.year, to: year)) }
            guard fit(&time, converter: &converter) == .exact else { return nil }

            guard settle(.month, in: month, carryingInto: .year), settle(.day, in: day, carryingInto: .month)
            else { continue }
            if !weekdays.isEmpty, !weekdays.allows(dayIndex: converter.dayIndex(of: converter.normalize(time).time)) {
                restart(at: time.start(ofNext: .day))
                continue
            }
            guard settle(.hour, in: hour, carryingInto: .day), settle(.minute, in: minute, carryingInto: .hour)
            else { continue }

            // Seconds are matched in microseconds: a start time of 10:20:30.5 is past second 30.
            guard
                let value = Self.firstValue(
                    in: second, atOrAfter: time.second * 1_000_000 + microsecond, scale: 1_000_000)
            else {
                restart(at: time.start(ofNext: .minute))
                continue
            }
            time.second = value / 1_000_000
            microsecond = value % 1_000_000
            switch fit(&time, converter: &converter) {
            case .exact: return time
            case .moved: continue
            case .outOfBounds: restart(at: time.start(ofNext: .minute))
            }
        }
        return nil
    }

    /// systemd's `tm_within_bounds`: normalizes `time`; when that moved it forward, keeps the moved
    /// time with the field below the first changed one reset (so normalizing day 33 of March to
    /// April 2 resumes from April 1).
    private func fit(_ time: inout LocalTime, converter: inout LocalTimeConverter) -> Fit {
        guard time.year <= Self.lastYear else { return .outOfBounds }
        var moved = converter.normalize(time).time
        guard let changed = LocalTime.Unit.allCases.first(where: { moved[$0] != time[$0] }) else { return .exact }
        guard moved[changed] > time[changed] else { return .outOfBounds }
        if let smaller = changed.smaller { moved[smaller] = smaller.first }
        time = moved
        return .moved
    }
}
