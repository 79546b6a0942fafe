/// A volume group or logical volume name that may go onto an lvm command line as it is.
///
/// lvm2cmd splits its command line at whitespace and knows no quoting, so every name is checked
/// against lvm's own rules before it is used: 1 to 127 of `A-Z a-z 0-9 + _ . -`, not starting
/// with `-`, and neither `.` nor `..`.
public struct LVMName: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// The longest name lvm accepts.
    public static let maximumLength = 127

    public init(_ rawValue: String) throws(LVMNameError) {
        if let reason = Self.problem(with: rawValue) {
            throw LVMNameError(name: rawValue, reason: reason)
        }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// Whether `character` may appear in a volume group or logical volume name.
    public static func isAllowed(_ character: Character) -> Bool {
        guard character.isASCII, let value = character.asciiValue else { return false }
        switch value {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "+_.-".contains(character)
        }
    }

    private static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.count > maximumLength { return "is longer than \(maximumLength) characters" }
        if name == "." || name == ".." { return "is reserved" }
        if name.hasPrefix("-") { return "starts with '-'" }
        if let bad = name.first(where: { !isAllowed($0) }) {
            return "contains '\(bad)'; only A-Z, a-z, 0-9, '+', '_', '.' and '-' are allowed"
        }
        return nil
    }
}

/// A name that lvm would reject or that could change the meaning of an lvm command line.
public struct LVMNameError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var reason: String

    public var description: String { "'\(name)' is not a valid lvm name: it \(reason)" }
}
