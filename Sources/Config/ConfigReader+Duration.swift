extension ConfigReader {
    /// The seconds in a duration written as a whole number and a unit: `90s`, `45m`, `12h`,
    /// `30d`, `2w`. `nil` for anything else, for zero, and for more than ten years.
    static func seconds(in text: String) -> Int? {
        let units = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.map(String.init), let factor = units[unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count <= 9,
            let count = Int(digits), count > 0
        else { return nil }
        let seconds = count * factor
        return seconds <= 10 * 366 * 86_400 ? seconds : nil
    }
}
