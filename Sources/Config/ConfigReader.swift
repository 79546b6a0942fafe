import Foundation
import TOMLKit

/// Checks the values of a parsed TOML document and collects problems with their lines.
struct ConfigReader {
    let file: String
    let lines: [Substring]
    private(set) var issues: [ConfigIssue] = []

    init(file: String, text: String) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    mutating func issue(_ message: String, key: String, in section: String?) {
        issues.append(ConfigIssue(file: file, line: line(of: key, in: section), message: message))
    }

    mutating func string(_ value: TOMLValueConvertible, _ key: String, _ section: String) -> String? {
        guard let string = value.string else {
            issue("'\(key)' must be a string", key: key, in: section)
            return nil
        }
        return string
    }

    mutating func path(_ value: TOMLValueConvertible, _ key: String, _ section: String) -> String? {
        guard let path = string(value, key, section) else { return nil }
        guard path.hasPrefix("/"), !path.contains("\0") else {
            issue("'\(key)' must be an absolute path, not \(Self.quoted(path))", key: key, in: section)
            return nil
        }
        return path
    }

    mutating func oneOf(_ allowed: [String], _ value: TOMLValueConvertible, _ key: String, _ section: String) -> String?
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

    mutating func integer(_ value: TOMLValueConvertible, _ key: String, _ section: String, in range: ClosedRange<Int>)
        -> Int?
    {
        guard let int = value.int, range.contains(int) else {
            issue("'\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound)", key: key, in: section)
            return nil
        }
        return int
    }

    /// The 1-based line where `key` is set inside `[section]` (or where the section starts).
    private func line(of key: String, in section: String?) -> Int? {
        var current: String?
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                    .replacingOccurrences(of: "\"", with: "")
                if section == nil && current == key { return index + 1 }
                continue
            }
            if current == section, let name = line.split(separator: "=").first,
                name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                    == key
            {
                return index + 1
            }
        }
        return nil
    }
}

extension ConfigReader {
    /// `"text"`: a value as the file writes it, for messages.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
