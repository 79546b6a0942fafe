extension CalendarExpression {
    /// A date or time field: its name in messages and the values it may hold.
    struct Field: Sendable, Equatable {
        let name: String
        let range: ClosedRange<Int>

        static let year = Field(name: "year", range: 1970...lastYear)
        static let month = Field(name: "month", range: 1...12)
        static let day = Field(name: "day", range: 1...31)
        static let hour = Field(name: "hour", range: 0...23)
        static let minute = Field(name: "minute", range: 0...59)
        static let second = Field(name: "second", range: 0...59)
    }

    /// A list element as written, with where each of its numbers stands (byte offsets), before checking.
    struct WrittenComponent: Sendable {
        struct Number: Sendable {
            /// The value, capped at 1,000,000,000.
            var value: Int
            var text: String
            var offset: Int
        }

        var start: Number
        var stop: Number?
        var step: Number?

        /// The seconds field's `*`: every second.
        static let everySecond = WrittenComponent(
            start: Number(value: 0, text: "*", offset: 0), stop: nil, step: Number(value: 1, text: "1", offset: 0))
    }

    /// The problem with one written list element, and the offset it is at.
    struct FieldProblem: Error {
        var message: String
        var offset: Int
    }

    /// Checks a field's written list and normalizes it as systemd does: two-digit years become
    /// 19YY or 20YY, a range's end is moved back to the last value its step reaches, a step that
    /// cannot repeat is dropped, and the list is sorted without duplicates.
    static func components(_ written: [WrittenComponent]?, of field: Field) throws(FieldProblem) -> [Component] {
        guard let written else { return [] }
        var components: [Component] = []
        for element in written {
            components.append(try component(element, of: field))
        }
        return Array(Set(components)).sorted()
    }

    private static func component(_ element: WrittenComponent, of field: Field) throws(FieldProblem) -> Component {
        let name = field.name
        let low = field.range.lowerBound
        let high = field.range.upperBound
        var start = element.start.value
        var stop = element.stop?.value
        var step = element.step?.value ?? (element.stop == nil ? 0 : 1)
        if field == .year {
            start = fullYear(start)
            stop = stop.map(fullYear)
        }
        if let written = element.step, written.value == 0 {
            throw FieldProblem(message: "\(name) step 0 must be at least 1", offset: written.offset)
        }
        if field == .second, let last = element.stop, element.step == nil, start >= last.value {
            throw FieldProblem(
                message: "second range \(element.start.text)..\(last.text) must end after it starts",
                offset: element.start.offset)
        }
        if let last = stop, last > start, step > 0 {
            stop = last - (last - start) % step
        }
        if let last = stop, (last > start && step > 0 && start + step > last) || last == start {
            stop = nil
            step = 0
        }
        guard field.range.contains(start) else {
            throw FieldProblem(
                message: "\(name) \(element.start.text) out of range (\(low)..\(high))", offset: element.start.offset)
        }
        if step > high - low, let written = element.step {
            throw FieldProblem(
                message: "\(name) step \(written.text) too large (at most \(high - low))", offset: written.offset)
        }
        if let last = stop, let written = element.stop {
            guard field.range.contains(last) else {
                throw FieldProblem(
                    message: "\(name) \(written.text) out of range (\(low)..\(high))", offset: written.offset)
            }
            guard start + step <= last else {
                throw FieldProblem(
                    message: "\(name) range \(element.start.text)..\(written.text) goes backwards",
                    offset: element.start.offset)
            }
        } else if start + step > high, let written = element.step {
            throw FieldProblem(
                message: "\(name) \(element.start.text)/\(written.text) never repeats: \(start + step) is past \(high)",
                offset: element.start.offset)
        }
        return Component(start, stop: stop, step: step)
    }

    /// `25` is 2025 and `89` is 1989, as in systemd; other years are kept.
    private static func fullYear(_ year: Int) -> Int {
        switch year {
        case 0..<70: year + 2000
        case 70..<100: year + 1900
        default: year
        }
    }
}
