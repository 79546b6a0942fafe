import Foundation

/// One line of vmbackupd's log, parsed as docs/METRICS.md ("Logs") specifies it: for journald
/// `<N>message key=value ...`, on a file `TIMESTAMP LEVEL message key=value ...`, the fields as
/// logfmt (values bare or double-quoted with `\"`, `\\`, `\n`, `\r`, `\t` escapes).
struct DaemonLogLine {
    enum Format { case journal, console }

    var format: Format
    /// The syslog priority (journal) or the level's priority (console).
    var priority: Int
    var message: String
    var fields: [String: String]

    static let priorities = [
        "trace": 7, "debug": 7, "info": 6, "notice": 5, "warning": 4, "error": 3, "critical": 2,
    ]

    /// Parses `line`; `nil` when it is in neither format.
    init?(_ line: String) {
        var rest: Substring
        if line.hasPrefix("<"), let close = line.firstIndex(of: ">"),
            let priority = Int(line[line.index(after: line.startIndex)..<close]), (0...7).contains(priority)
        {
            format = .journal
            self.priority = priority
            rest = line[line.index(after: close)...]
        } else {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, Self.isTimestamp(parts[0]), let level = Self.priorities[String(parts[1])] else {
                return nil
            }
            format = .console
            priority = level
            rest = parts[2].drop { $0 == " " }
        }
        // The message ends where a run of logfmt fields that reaches the end of the line begins.
        var split: (String, [String: String])? = (String(rest), [:])
        var index = rest.startIndex
        while let space = rest[index...].firstIndex(of: " ") {
            if let fields = Self.fields(rest[rest.index(after: space)...]) {
                split = (String(rest[..<space]), fields)
                break
            }
            index = rest.index(after: space)
        }
        guard let (message, fields) = split else { return nil }
        self.message = message
        self.fields = fields
    }

    private static func isTimestamp(_ text: Substring) -> Bool {
        text.count == 24 && text.hasSuffix("Z") && text.dropFirst(10).first == "T"
            && ISO8601DateFormatter.withFractions.date(from: String(text)) != nil
    }

    /// `key=value key="quoted value" ...` to the end of `text`; `nil` when it is not that.
    static func fields(_ text: Substring) -> [String: String]? {
        var fields: [String: String] = [:]
        var scalars = text.unicodeScalars[...]
        while !scalars.isEmpty {
            let key = scalars.prefix { $0 != "=" && $0 != " " && $0 != "\"" }
            guard !key.isEmpty, scalars.dropFirst(key.count).first == "=" else { return nil }
            scalars = scalars.dropFirst(key.count + 1)
            var value = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                var closed = false
                while let scalar = scalars.popFirst() {
                    if scalar == "\"" {
                        closed = true
                        break
                    }
                    guard scalar == "\\" else {
                        value.unicodeScalars.append(scalar)
                        continue
                    }
                    switch scalars.popFirst() {
                    case "n": value += "\n"
                    case "r": value += "\r"
                    case "t": value += "\t"
                    case "\"": value += "\""
                    case "\\": value += "\\"
                    case "u":
                        let digits = scalars.dropFirst().prefix { $0 != "}" }
                        guard let code = UInt32(String(String.UnicodeScalarView(digits)), radix: 16),
                            let decoded = Unicode.Scalar(code)
                        else { return nil }
                        value.unicodeScalars.append(decoded)
                        scalars = scalars.dropFirst(digits.count + 2)
                    default: return nil
                    }
                }
                guard closed else { return nil }
            } else {
                let bare = scalars.prefix { $0 != " " }
                guard !bare.contains("\""), !bare.contains("=") else { return nil }
                value = String(String.UnicodeScalarView(bare))
                scalars = scalars.dropFirst(bare.count)
            }
            fields[String(String.UnicodeScalarView(key))] = value
            guard scalars.isEmpty || scalars.first == " " else { return nil }
            scalars = scalars.dropFirst()
        }
        return fields.isEmpty ? nil : fields
    }
}

extension ISO8601DateFormatter {
    fileprivate static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
