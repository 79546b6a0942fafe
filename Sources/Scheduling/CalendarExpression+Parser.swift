import Foundation

extension CalendarExpression {
    /// Reads the grammar of `systemd.time`'s calendar events, in the same order as systemd:
    /// time zone (last word), shorthand, weekdays, date, time.
    struct Parser {
        let source: String
        let bytes: [UInt8]
        var index = 0
        /// Where the part before the time zone ends.
        var end: Int

        static func parse(_ source: String) throws(CalendarExpressionError) -> Fields {
            var parser = Parser(source: source)
            return try parser.parseExpression()
        }

        private init(source: String) {
            self.source = source
            bytes = Array(source.utf8)
            end = bytes.count
        }

        private mutating func parseExpression() throws(CalendarExpressionError) -> Fields {
            guard let first = bytes.first, let last = bytes.last else { throw error("empty expression", at: 0) }
            if Self.isWhitespace(first) { throw error("unexpected whitespace at the start", at: 0) }
            if Self.isWhitespace(last) { throw error("unexpected whitespace at the end", at: bytes.count - 1) }
            let zone = try parseZone()
            if var fields = Fields(shorthand: text(0..<end)) {
                fields.zone = zone
                return fields
            }
            var fields = Fields()
            fields.zone = zone
            let weekdays = try parseWeekdays()
            fields.weekdays = weekdays == .everyDay ? [] : weekdays
            if let (year, month, day) = try parseDate() {
                fields.year = try components(year, of: .year)
                fields.month = try components(month, of: .month)
                fields.day = try components(day, of: .day)
            }
            if index < end {
                let (hour, minute, second) = try parseTime()
                fields.hour = try components(hour, of: .hour)
                fields.minute = try components(minute, of: .minute)
                fields.second = try components(second, of: .second)
            }
            return fields
        }

        // MARK: Time zone

        /// Takes a last word that is `UTC` or an IANA zone name off the end. A last word that can only be
        /// meant as a zone (`Mars/Olympus`, `CEST`) but is not a supported one is an error.
        private mutating func parseZone() throws(CalendarExpressionError) -> Zone {
            guard let space = bytes.lastIndex(of: Self.space) else { return .unnamed }
            let word = text(space + 1..<bytes.count)
            if word.lowercased() == "utc" {
                end = space
                return .utc
            }
            let zoneCharacters = Set("/_-+".utf8)
            guard let initial = word.utf8.first, Self.isLetter(initial),
                word.utf8.allSatisfy({ Self.isLetter($0) || Self.isDigit($0) || zoneCharacters.contains($0) }),
                Fields(shorthand: word) == nil, Self.weekday(named: word) == nil
            else { return .unnamed }
            if word.contains("/") {
                guard let zone = TimeZone(identifier: word), zone.identifier == word else {
                    throw error("unknown time zone \"\(word)\"", at: space + 1)
                }
                end = space
                return .named(word, zone)
            }
            guard word.utf8.allSatisfy(Self.isLetter) else { return .unnamed }
            if TimeZone(identifier: word) != nil {
                throw error(
                    "time zone \"\(word)\" is not supported: write UTC or an IANA name such as \"Europe/Berlin\"",
                    at: space + 1)
            }
            throw error("unknown time zone \"\(word)\"", at: space + 1)
        }

        // MARK: Date and time

        /// `YYYY-MM-DD` or `MM-DD`, each a list; `nil` when what follows is a time.
        private mutating func parseDate() throws(CalendarExpressionError) -> (
            [WrittenComponent]?, [WrittenComponent]?, [WrittenComponent]?
        )? {
            guard index < end else { return nil }
            if bytes[index] == UInt8(ascii: "@") { throw error("\"@\" timestamps are not supported", at: index) }
            if Self.isLetter(bytes[index]) { throw misplacedWord(at: index) }
            let start = index
            let first = try parseList()
            if index == end || bytes[index] == Self.colon {
                index = start
                return nil
            }
            try expectDateSeparator()
            let second = try parseList()
            if index == end || bytes[index] == Self.space {
                skipSpaces()
                return (nil, first, second)
            }
            try expectDateSeparator()
            let third = try parseList()
            guard index == end || bytes[index] == Self.space else { throw unexpected() }
            skipSpaces()
            return (first, second, third)
        }

        private mutating func expectDateSeparator() throws(CalendarExpressionError) {
            if bytes[index] == UInt8(ascii: "~") {
                throw error("\"~\" (days counted from the end of the month) is not supported", at: index)
            }
            guard bytes[index] == Self.hyphen else { throw unexpected() }
            index += 1
        }

        /// `HH:MM` or `HH:MM:SS`, each a list.
        private mutating func parseTime() throws(CalendarExpressionError) -> (
            [WrittenComponent]?, [WrittenComponent]?, [WrittenComponent]?
        ) {
            let start = index
            if Self.isLetter(bytes[index]) { throw misplacedWord(at: index) }
            let hour = try parseList()
            guard index < end else {
                throw error("time \"\(text(start..<end))\" needs minutes, as in \"12:00\"", at: start)
            }
            guard bytes[index] == Self.colon else { throw unexpected() }
            index += 1
            let minute = try parseList()
            guard index < end else {
                return (hour, minute, [WrittenComponent(start: .init(value: 0, text: "0", offset: index))])
            }
            guard bytes[index] == Self.colon else { throw unexpected() }
            index += 1
            let second = try parseList(isSeconds: true)
            guard index == end else { throw unexpected() }
            return (hour, minute, second)
        }

        /// A word where a date or time should be: a shorthand with more fields, a second list of
        /// weekdays, or an unknown weekday.
        private func misplacedWord(at offset: Int) -> CalendarExpressionError {
            let wordEnd = bytes[offset..<end].firstIndex(of: Self.space) ?? end
            let word = text(offset..<wordEnd)
            if Fields(shorthand: word) != nil {
                return error("\"\(word)\" cannot be combined with other fields", at: offset)
            }
            if Self.weekdayPrefix(of: bytes[offset..<wordEnd]) != nil {
                return error("weekdays must be one list, such as \"Mon,Fri\", before the date and time", at: offset)
            }
            return weekdayError(at: offset)
        }

        /// `*`, or values, ranges and repetitions separated by commas; `nil` for `*` (except in seconds,
        /// where `*` is every second).
        private mutating func parseList(isSeconds: Bool = false) throws(CalendarExpressionError) -> [WrittenComponent]?
        {
            let start = index
            if index < end, bytes[index] == UInt8(ascii: "*") {
                index += 1
                if index < end, bytes[index] == UInt8(ascii: "/") {
                    let digits = text(index + 1..<(bytes[(index + 1)..<end].firstIndex { !Self.isDigit($0) } ?? end))
                    let step = digits.isEmpty ? "N" : digits
                    throw error("\"*/\(step)\" is not supported: write \"0/\(step)\"", at: start)
                }
                if index < end, bytes[index] == Self.comma || bytes[index] == Self.dot {
                    throw error("\"*\" cannot be combined with other values", at: start)
                }
                return isSeconds ? [.everySecond] : nil
            }
            var list: [WrittenComponent] = []
            while true {
                if list.count == 240 { throw error("too many values in one field (at most 240)", at: index) }
                list.append(try parseComponent(isSeconds: isSeconds))
                guard index < end, bytes[index] == Self.comma else { return list }
                index += 1
            }
        }

        /// `a`, `a/step`, `a..b` or `a..b/step`.
        private mutating func parseComponent(isSeconds: Bool) throws(CalendarExpressionError) -> WrittenComponent {
            var component = WrittenComponent(start: try parseNumber())
            if index + 1 < end, bytes[index] == Self.dot, bytes[index + 1] == Self.dot {
                index += 2
                component.stop = try parseNumber()
            } else if isSeconds, index < end, bytes[index] == Self.dot {
                throw error("fractional seconds are not supported", at: index)
            }
            if index < end, bytes[index] == UInt8(ascii: "/") {
                index += 1
                component.step = try parseNumber()
            }
            let followers: [UInt8] = [Self.space, Self.comma, Self.hyphen, Self.colon, UInt8(ascii: "~")]
            if index < end, !followers.contains(bytes[index]) { throw unexpected() }
            return component
        }

        private mutating func parseNumber() throws(CalendarExpressionError) -> WrittenComponent.Number {
            let start = index
            guard index < end, Self.isDigit(bytes[index]) else {
                throw error("expected a number, found \(found(at: index))", at: index)
            }
            var value = 0
            while index < end, Self.isDigit(bytes[index]) {
                value = min(value * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1_000_000_000)
                index += 1
            }
            return WrittenComponent.Number(value: value, text: text(start..<index), offset: start)
        }

        // MARK: Helpers

        private func components(_ written: [WrittenComponent]?, of field: Field) throws(CalendarExpressionError)
            -> [Component]
        {
            do {
                return try CalendarExpression.components(written, of: field)
            } catch {
                throw self.error(error.message, at: error.offset)
            }
        }

        mutating func skipSpaces() {
            while index < end, bytes[index] == Self.space { index += 1 }
        }

        /// The text at `index` cannot continue the expression; after a space, the word that follows.
        func unexpected() -> CalendarExpressionError {
            let word = bytes[index..<end].firstIndex { $0 != Self.space } ?? index
            return error("unexpected \(found(at: word))", at: word)
        }

        /// The text at `offset` up to the next space, quoted, for messages.
        func found(at offset: Int) -> String {
            guard offset < end else { return "the end" }
            if bytes[offset] == Self.space { return "\" \"" }
            return "\"" + text(offset..<(bytes[offset..<end].firstIndex(of: Self.space) ?? end)) + "\""
        }

        func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range], as: UTF8.self)
        }

        func error(_ message: String, at offset: Int) -> CalendarExpressionError {
            let column = String(decoding: bytes[..<min(offset, bytes.count)], as: UTF8.self).count + 1
            return CalendarExpressionError(expression: source, message: message, column: column)
        }

        static let space = UInt8(ascii: " ")
        static let comma = UInt8(ascii: ",")
        static let dot = UInt8(ascii: ".")
        static let hyphen = UInt8(ascii: "-")
        static let colon = UInt8(ascii: ":")

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == space || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }

        static func isDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }

        static func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercased(byte))
        }

        static func lowercased(_ byte: UInt8) -> UInt8 {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
        }
    }
}
