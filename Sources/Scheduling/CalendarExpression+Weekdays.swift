extension CalendarExpression {
    /// The days of the week an expression is limited to; empty means every day.
    struct Weekdays: OptionSet, Hashable, Sendable {
        let rawValue: UInt8

        /// Short names, Monday first: bit `n` of `rawValue` is `names[n]`.
        static let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        /// Long names, in the same order.
        static let longNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

        static let monday = Weekdays(day: 0)
        static let everyDay = Weekdays(rawValue: 0x7F)

        init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// The day `index` days after Monday (0...6).
        init(day index: Int) {
            self.rawValue = 1 << UInt8(index)
        }

        /// Days `first` through `last` (Monday = 0), both included.
        init(from first: Int, through last: Int) {
            self = (first...last).reduce(into: Weekdays()) { $0.insert(Weekdays(day: $1)) }
        }

        /// Whether the day `index` days after Monday is allowed.
        func allows(dayIndex index: Int) -> Bool {
            isEmpty || contains(Weekdays(day: index))
        }

        /// `Mon..Wed,Fri..Sun`: runs of three or more days as ranges, pairs as lists.
        var formatted: String {
            var parts: [String] = []
            var index = 0
            while index < 7 {
                guard contains(Weekdays(day: index)) else {
                    index += 1
                    continue
                }
                var last = index
                while last + 1 < 7 && contains(Weekdays(day: last + 1)) { last += 1 }
                switch last - index {
                case 0: parts.append(Self.names[index])
                case 1: parts.append(Self.names[index] + "," + Self.names[last])
                default: parts.append(Self.names[index] + ".." + Self.names[last])
                }
                index = last + 1
            }
            return parts.joined(separator: ",")
        }
    }
}
