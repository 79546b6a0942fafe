extension CalendarExpression.Parser {
    typealias Weekdays = CalendarExpression.Weekdays

    /// `Mon`, `Mon,Wed`, `Mon..Fri`, `Mon-Fri`, `Sat,Mon..Wed`; nothing when the expression does not
    /// start with a weekday.
    mutating func parseWeekdays() throws(CalendarExpressionError) -> Weekdays {
        var days = Weekdays()
        var range: (day: Int, offset: Int)?
        var first = true
        while true {
            let nameOffset = index
            guard let (day, length) = Self.weekdayPrefix(of: bytes[index..<end]) else {
                if first { return days }
                throw weekdayError(at: index)
            }
            index += length
            if index < end, ![Self.space, Self.comma, Self.dot, Self.hyphen].contains(bytes[index]) {
                throw Self.isLetter(bytes[index]) ? weekdayError(at: nameOffset) : unexpected()
            }
            if let range {
                guard range.day <= day else {
                    throw error(
                        "weekday range \"\(weekdayList(at: range.offset))\" goes backwards", at: range.offset)
                }
                days.formUnion(Weekdays(from: range.day, through: day))
            } else {
                days.insert(Weekdays(day: day))
            }
            if index == end { return days }
            switch bytes[index] {
            case Self.space:
                skipSpaces()
                return days
            case Self.dot, Self.hyphen:
                let isDots = bytes[index] == Self.dot
                if isDots && (index + 1 == end || bytes[index + 1] != Self.dot) { throw unexpected() }
                if let range {
                    throw error(
                        "weekday range \"\(weekdayList(at: range.offset))\" has more than two ends", at: range.offset)
                }
                range = (day, nameOffset)
                index += isDots ? 2 : 1
            default:
                range = nil
                index += 1
            }
            if index == end || bytes[index] == Self.space {
                if let range {
                    throw error("weekday range \"\(weekdayList(at: range.offset))\" has no end", at: range.offset)
                }
                skipSpaces()
                return days
            }
            first = false
        }
    }

    /// The list element that starts at `offset`, for messages: `Sat..Mon`.
    private func weekdayList(at offset: Int) -> String {
        text(offset..<(bytes[offset..<end].firstIndex { $0 == Self.space || $0 == Self.comma } ?? end))
    }

    func weekdayError(at offset: Int) -> CalendarExpressionError {
        let word = text(offset..<(bytes[offset..<end].firstIndex { !Self.isLetter($0) } ?? end))
        if word.isEmpty { return error("expected a weekday, found \(found(at: offset))", at: offset) }
        return error("unknown weekday \"\(word)\"", at: offset)
    }

    /// The weekday (Monday = 0) whose long or short name, in any case, `text` starts with, and its length.
    static func weekdayPrefix(of text: ArraySlice<UInt8>) -> (day: Int, length: Int)? {
        for day in 0..<7 {
            for name in [Weekdays.longNames[day], Weekdays.names[day]] {
                let name = Array(name.lowercased().utf8)
                if text.count >= name.count, zip(text, name).allSatisfy({ Self.lowercased($0) == $1 }) {
                    return (day, name.count)
                }
            }
        }
        return nil
    }

    /// The weekday (Monday = 0) named exactly `word`, or `nil`.
    static func weekday(named word: String) -> Int? {
        let bytes = Array(word.utf8)
        guard let (day, length) = weekdayPrefix(of: bytes[...]), length == bytes.count else { return nil }
        return day
    }
}
