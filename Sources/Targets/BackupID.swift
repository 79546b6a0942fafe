import Foundation

/// The name of one backup: its UTC start time and 4 random hex digits, e.g.
/// `20261122T013000Z-3f9a`. Ids sort by time as plain strings.
public struct BackupID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A new id for a backup started at `date`.
    public static func generate(at date: Date = .now) -> BackupID {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func digits(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let time =
            digits(parts.year, 4) + digits(parts.month, 2) + digits(parts.day, 2) + "T"
            + digits(parts.hour, 2) + digits(parts.minute, 2) + digits(parts.second, 2) + "Z"
        let random = String(UInt16.random(in: .min ... .max), radix: 16)
        return BackupID(unchecked: time + "-" + String(repeating: "0", count: 4 - random.count) + random)
    }

    /// A new id for the next backup of a VM whose newest backup is `previous`: sorts after it
    /// even when both start in the same second, so that a VM's backups sort by id in the order
    /// they were made, and even when the clock was set back. The random digits are then drawn a
    /// little above the previous ones; once they run out, the id names the next second.
    public static func generate(at date: Date = .now, after previous: BackupID?) -> BackupID {
        let fresh = generate(at: date)
        guard let previous, fresh <= previous, let previousDate = previous.date,
            let last = UInt16(previous.rawValue.suffix(4), radix: 16)
        else { return fresh }
        // The previous backup's second (or a clock set back since): continue after it.
        guard last < .max else {
            // Digits ran out: the next second, its digits drawn low so that they last.
            let next = generate(at: previousDate.addingTimeInterval(1))
            let random = String(UInt16.random(in: 0...255), radix: 16)
            return BackupID(
                unchecked: next.rawValue.prefix(17) + String(repeating: "0", count: 4 - random.count) + random)
        }
        let random = String(UInt16.random(in: (last + 1)...(last + min(256, .max - last))), radix: 16)
        return BackupID(
            unchecked: previous.rawValue.prefix(17) + String(repeating: "0", count: 4 - random.count) + random)
    }

    /// Accepts `string` only in the exact form `generate` makes: `YYYYMMDDTHHMMSSZ-xxxx` with a
    /// valid date and lowercase hex.
    public init?(validating string: String) {
        let bytes = Array(string.utf8)
        guard bytes.count == 21, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            bytes[16] == UInt8(ascii: "-")
        else { return nil }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let isHex = { (byte: UInt8) in isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) }
        guard bytes[0..<8].allSatisfy(isDigit), bytes[9..<15].allSatisfy(isDigit), bytes[17...].allSatisfy(isHex)
        else { return nil }
        self.init(unchecked: string)
        guard let date, Self.generate(at: date).rawValue.prefix(16) == string.prefix(16) else { return nil }
    }

    private init(unchecked rawValue: String) { self.rawValue = rawValue }

    /// The start time the id names, to the second.
    public var date: Date? {
        let digits = Array(rawValue.utf8).map { Int($0) - Int(UInt8(ascii: "0")) }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        let parts = DateComponents(
            year: number(0..<4), month: number(4..<6), day: number(6..<8),
            hour: number(9..<11), minute: number(11..<13), second: number(13..<15))
        return Self.utcCalendar.date(from: parts)
    }

    public var description: String { rawValue }

    public static func < (lhs: BackupID, rhs: BackupID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let id = BackupID(validating: string) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a backup id: \(string)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
