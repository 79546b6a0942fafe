import Foundation
import TOMLKit

/// Checks the values of a parsed TOML document and collects problems with their lines.
struct ConfigReader {
    let file: String
    let lines: ConfigLines
    private(set) var issues: [ConfigIssue] = []

    init(file: String, text: String) {
        self.file = file
        self.lines = ConfigLines(text: text)
    }

    /// A problem with the value of `key` in `section`, reported at its line.
    mutating func issue(_ message: String, key: String, in section: ConfigSection) {
        issues.append(ConfigIssue(file: file, line: lines.line(of: key, in: section), message: message))
    }

    /// A problem with a whole section, reported at its header.
    mutating func issue(_ message: String, at section: ConfigSection) {
        issues.append(ConfigIssue(file: file, line: lines.line(of: section), message: message))
    }

    mutating func string(_ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection) -> String? {
        guard let string = value.string else {
            issue("'\(key)' must be a string", key: key, in: section)
            return nil
        }
        return string
    }

    mutating func path(_ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection) -> String? {
        guard let path = string(value, key, section) else { return nil }
        guard path.hasPrefix("/"), !path.contains("\0") else {
            issue("'\(key)' must be an absolute path, not \(Self.quoted(path))", key: key, in: section)
            return nil
        }
        return path
    }

    mutating func oneOf(_ allowed: [String], _ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection)
        -> String?
    {
        guard let string = string(value, key, section) else { return nil }
        guard allowed.contains(string) else {
            issue(
                "'\(key)' must be one of \(allowed.joined(separator: ", ")), not \(Self.quoted(string))", key: key,
                in: section)
            return nil
        }
        return string
    }

    mutating func integer(
        _ value: TOMLValueConvertible, _ key: String, _ section: ConfigSection, in range: ClosedRange<Int>
    )
        -> Int?
    {
        guard let int = value.int, range.contains(int) else {
            issue("'\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound)", key: key, in: section)
            return nil
        }
        return int
    }
}

extension ConfigReader {
    /// `"text"`: a value as the file writes it, for messages.
    static func quoted(_ text: String) -> String {
        "\""
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\t", with: "\\t") + "\""
    }
}
