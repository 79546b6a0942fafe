import Foundation

/// Where each key of a config file is written: its line, by section and key. TOMLKit gives no
/// positions for values, so the text is read once more, line by line, the way TOML lays it out:
/// headers (`[a.b]`, `[[vm]]`, quoted parts, a comment after them), `key = value` lines (quoted
/// and dotted keys), and the keys of an inline table (`methods = { vdb = "lvm" }`).
///
/// A key set in the third `[[vm]]` is found there, not in the first one.
struct ConfigLines: Sendable {
    private var keys: [ConfigSection: [String: Int]] = [:]
    private var headers: [ConfigSection: Int] = [:]

    init(text: String) {
        var current = ConfigSection.root
        var elements: [String: Int] = [:]
        var inMultilineString = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            // A line inside a multi-line string (or closing one) is text, not keys.
            let insideString = inMultilineString
            if Self.togglesMultilineString(raw) { inMultilineString.toggle() }
            if insideString { continue }
            let line = Self.withoutComment(raw).trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[[") {
                let name = Self.headerName(line.dropFirst(2), closing: "]]")
                let element = elements[name, default: -1] + 1
                elements[name] = element
                current = ConfigSection(name, element: element)
                headers[current] = headers[current] ?? number
            } else if line.hasPrefix("[") {
                let name = Self.headerName(line.dropFirst(), closing: "]")
                // `[vm.methods]` belongs to the last `[[vm]]`.
                let array = elements.keys.filter { name.hasPrefix($0 + ".") }.max { $0.count < $1.count }
                current = ConfigSection(name, element: array.flatMap { elements[$0] })
                headers[current] = headers[current] ?? number
            } else if let equals = line.firstIndex(of: "=") {
                let path = Self.keyPath(line[..<equals])
                guard let last = path.last else { continue }
                var section = current
                for part in path.dropLast() { section = section.child(part) }
                record(last, in: section, line: number)
                let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("{") {
                    // An inline table: its keys are in the section the key names.
                    for pair in value.dropFirst().split(separator: ",") {
                        guard let inner = pair.firstIndex(of: "=") else { continue }
                        let innerPath = Self.keyPath(pair[..<inner])
                        guard let innerKey = innerPath.last else { continue }
                        var innerSection = section.child(last)
                        for part in innerPath.dropLast() { innerSection = innerSection.child(part) }
                        record(innerKey, in: innerSection, line: number)
                    }
                }
            }
        }
    }

    /// The line of `key` in `section`; else the line of `section`'s header, or of the key that
    /// holds it as an inline table; `nil` when neither is written.
    func line(of key: String, in section: ConfigSection) -> Int? {
        if let line = keys[section]?[key] ?? keys[section.firstElement]?[key] { return line }
        // A key of the root may be written as a section of its own (`[vm]` for `vm`).
        if section == .root, let header = line(of: ConfigSection(key)) { return header }
        return line(of: section)
    }

    /// The line of `section`'s header, or of the key that holds it as an inline table.
    func line(of section: ConfigSection) -> Int? {
        // A section the file wrote as an array of tables (`[[policy]]`) by mistake: its first one.
        if let header = headers[section] ?? headers[section.firstElement] { return header }
        // A table made by dotted keys (`a.b = 1` makes `a`): its first key.
        if let first = keys[section]?.values.min() { return first }
        // `[vm.methods]` implies `vm`: the first header below it stands for it.
        let below = headers.filter { $0.key.name.hasPrefix(section.name + ".") }.map(\.value).min()
        guard let dot = section.name.lastIndex(of: ".") else {
            return keys[.root]?[section.name] ?? below
        }
        let parent = ConfigSection(String(section.name[..<dot]), element: section.element)
        let key = String(section.name[section.name.index(after: dot)...])
        // A sub-table of an array element lives inside that element; a plain one may be a
        // `[parent]` header away, or a key of the root.
        let parentKey = keys[parent]?[key] ?? keys[ConfigSection(parent.name)]?[key]
        return parentKey ?? below ?? line(of: parent)
    }

    private mutating func record(_ key: String, in section: ConfigSection, line: Int) {
        if keys[section]?[key] == nil { keys[section, default: [:]][key] = line }
    }

    /// `a.b` of `[ a . "b" ] # note`.
    private static func headerName(_ text: Substring, closing: String) -> String {
        let inner = text.range(of: closing).map { text[..<$0.lowerBound] } ?? text
        return keyPath(inner).joined(separator: ".")
    }

    /// The parts of a dotted key, unquoted: `methods."vd b"` is `["methods", "vd b"]`.
    private static func keyPath(_ text: Substring) -> [String] {
        var parts: [String] = []
        var part = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { part.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(part.trimmingCharacters(in: .whitespaces))
                part = ""
            } else {
                part.append(character)
            }
        }
        parts.append(part.trimmingCharacters(in: .whitespaces))
        return parts.allSatisfy(\.isEmpty) ? [] : parts
    }

    /// The line up to a `#` that is not inside a string.
    private static func withoutComment(_ line: Substring) -> Substring {
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return line[..<index]
            }
        }
        return line
    }

    /// An odd number of `"""` (or `'''`) opens or closes a multi-line string.
    private static func togglesMultilineString(_ line: Substring) -> Bool {
        let count = line.components(separatedBy: "\"\"\"").count - 1 + line.components(separatedBy: "'''").count - 1
        return count % 2 == 1
    }
}
