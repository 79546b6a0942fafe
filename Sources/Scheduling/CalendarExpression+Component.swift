extension CalendarExpression {
    /// One element of a field's list: a value `5`, a repetition `0/15`, or a range `8..17` or `8..16/2`.
    ///
    /// A field is a list of components, kept sorted and without duplicates; an empty list is `*`.
    struct Component: Hashable, Sendable, Comparable {
        var start: Int
        /// The last value of a range, or `nil`.
        var stop: Int?
        /// The repetition step, or 0 for a single value.
        var step: Int

        init(_ start: Int, stop: Int? = nil, step: Int = 0) {
            self.start = start
            self.stop = stop
            self.step = step
        }

        /// Ordered by start, then stop, then step, as systemd orders them.
        static func < (lhs: Component, rhs: Component) -> Bool {
            (lhs.start, lhs.stop ?? -1, lhs.step) < (rhs.start, rhs.stop ?? -1, rhs.step)
        }

        /// The smallest value at or after `value` that this component produces, or `nil`.
        ///
        /// A repetition without a range goes on past the field's end (minute 60 and more); the caller's
        /// normalization carries such values into the next hour, day, month or year. `scale` multiplies
        /// every number (seconds are matched in microseconds).
        func firstValue(atOrAfter value: Int, scale: Int) -> Int? {
            let start = self.start * scale
            if start >= value { return start }
            guard step > 0 else { return nil }
            let step = self.step * scale
            let candidate = start + step * ((value - start + step - 1) / step)
            if let stop, candidate > stop * scale { return nil }
            return candidate
        }

        /// `08..16/2`, zero-padded to `width` digits.
        func formatted(width: Int) -> String {
            var text = Self.padded(start, width)
            if let stop, stop > 0 { text += ".." + Self.padded(stop, width) }
            if step > 0 && !((stop ?? -1) > 0 && step == 1) { text += "/\(step)" }
            return text
        }

        private static func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    /// The earliest value at or after `value` produced by any component of `field`; `value` itself for `*`.
    static func firstValue(in field: [Component], atOrAfter value: Int, scale: Int = 1) -> Int? {
        guard !field.isEmpty else { return value }
        return field.compactMap { $0.firstValue(atOrAfter: value, scale: scale) }.min()
    }

    /// A field's list as written in the normalized form: `*`, `01,04,07,10`, `00/15`.
    static func formatted(_ field: [Component], width: Int) -> String {
        field.isEmpty ? "*" : field.map { $0.formatted(width: width) }.joined(separator: ",")
    }

    /// The seconds field, where `*` is the repetition `0/1`.
    static func formattedSeconds(_ field: [Component]) -> String {
        field == [Component(0, step: 1)] ? "*" : formatted(field, width: 2)
    }
}
