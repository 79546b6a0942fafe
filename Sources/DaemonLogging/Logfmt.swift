import Logging

/// Metadata as logfmt: `key=value` pairs separated by spaces, in key order.
///
/// A value is quoted when it is empty or holds a space, a quote, `=`, a backslash or a control
/// character; inside quotes `"` and `\` are escaped with a backslash and newlines, carriage
/// returns and tabs written as `\n`, `\r` and `\t`, so a field never spans two lines. Nested
/// metadata is flattened with dotted keys (`disk.target`), a list joined with commas.
public enum Logfmt {
    /// The fields of `metadata`, sorted by key.
    public static func fields(_ metadata: Logger.Metadata) -> String {
        var flat: [(key: String, value: String)] = []
        flatten(metadata, prefix: "", into: &flat)
        return flat.sorted { $0.key < $1.key }.map { key($0.key) + "=" + value($0.value) }.joined(separator: " ")
    }

    /// `text` as a logfmt value: bare when it can be, else quoted and escaped.
    public static func value(_ text: String) -> String {
        guard text.isEmpty || text.unicodeScalars.contains(where: needsQuoting) else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted += escapedControl(scalar) ?? String(scalar)
            }
        }
        return quoted + "\""
    }

    /// `text` on one line: newlines, carriage returns and tabs written as `\n`, `\r` and `\t`,
    /// other control characters as `\u{..}`; the rest unchanged.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var line = ""
        for scalar in text.unicodeScalars {
            line += escapedControl(scalar) ?? String(scalar)
        }
        return line
    }

    /// A key keeps letters, digits and `._-`; anything else becomes `_`.
    static func key(_ text: String) -> String {
        let safe = text.unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar)
                ? Character(scalar) : "_"
        }
        return safe.isEmpty ? "_" : String(safe)
    }

    private static func flatten(
        _ metadata: Logger.Metadata, prefix: String, into flat: inout [(key: String, value: String)]
    ) {
        for (key, value) in metadata {
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .dictionary(let nested) where !nested.isEmpty:
                flatten(nested, prefix: name, into: &flat)
            case .array(let items):
                flat.append((name, items.map(\.description).joined(separator: ",")))
            default:
                flat.append((name, value.description))
            }
        }
    }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\" || isControl(scalar)
            || scalar.properties.isWhitespace
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7f || scalar == "\u{2028}" || scalar == "\u{2029}"
            || scalar == "\u{85}"
    }

    private static func escapedControl(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        case _ where isControl(scalar): "\\u{" + String(scalar.value, radix: 16) + "}"
        default: nil
        }
    }
}
