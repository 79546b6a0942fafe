import Foundation

extension CalendarExpression {
    /// The fields of a parsed expression; an empty list is `*`.
    struct Fields {
        var weekdays = Weekdays()
        var year: [Component] = []
        var month: [Component] = []
        var day: [Component] = []
        var hour = [Component(0)]
        var minute = [Component(0)]
        var second = [Component(0)]
        var zone = Zone.unnamed

        init() {}

        /// The fields of a shorthand such as `daily`; `nil` for any other word.
        init?(shorthand word: String) {
            self.init()
            switch word.lowercased() {
            case "minutely":
                hour = []
                minute = []
            case "hourly":
                hour = []
            case "daily":
                break
            case "weekly":
                weekdays = .monday
            case "monthly":
                day = [Component(1)]
            case "yearly", "annually", "anually":
                month = [Component(1)]
                day = [Component(1)]
            case "quarterly":
                month = [1, 4, 7, 10].map { Component($0) }
                day = [Component(1)]
            case "semiannually", "semi-annually", "biannually", "bi-annually":
                month = [Component(1), Component(7)]
                day = [Component(1)]
            default:
                return nil
            }
        }
    }

    /// The time zone an expression names.
    enum Zone {
        case unnamed
        case utc
        case named(String, TimeZone)

        var timeZone: TimeZone? {
            switch self {
            case .unnamed: nil
            case .utc: TimeZone(identifier: "UTC")!
            case .named(_, let zone): zone
            }
        }

        /// The name in the normalized form.
        var name: String? {
            switch self {
            case .unnamed: nil
            case .utc: "UTC"
            case .named(let name, _): name
            }
        }
    }
}
