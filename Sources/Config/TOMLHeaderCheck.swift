/// Finds the table headers whose name does not start as TOML allows (`[`, `[ü]`, `[:x]`), before
/// the text reaches toml++: its parser asserts on them (a crash in a debug build, undefined
/// behaviour in a release one) instead of reporting an error.
///
/// Reads the text as TOML lays it out: strings (basic, literal, multi-line) and comments are
/// skipped, and a `[` opens a header only at the start of a line outside any value.
enum TOMLHeaderCheck {
    /// The 1-based lines of the malformed headers.
    static func malformedHeaderLines(_ text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var lines: [Int] = []
        var line = 1
        var index = 0
        var depth = 0
        var atLineStart = true
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ascii("\n") {
                line += 1
                atLineStart = depth == 0
                index += 1
                continue
            }
            if atLineStart && (byte == ascii(" ") || byte == ascii("\t") || byte == ascii("\r")) {
                index += 1
                continue
            }
            if atLineStart && byte == ascii("[") {
                var next = index + 1
                if next < bytes.count && bytes[next] == ascii("[") { next += 1 }
                while next < bytes.count && (bytes[next] == ascii(" ") || bytes[next] == ascii("\t")) { next += 1 }
                if next >= bytes.count || !startsKey(bytes[next]) { lines.append(line) }
                // The rest of the header line is toml++'s to judge.
                while index < bytes.count && bytes[index] != ascii("\n") { index += 1 }
                continue
            }
            atLineStart = false
            switch byte {
            case ascii("#"):
                while index < bytes.count && bytes[index] != ascii("\n") { index += 1 }
                continue
            case ascii("\""), ascii("'"):
                let triple = peek(1) == byte && peek(2) == byte
                index += triple ? 3 : 1
                while index < bytes.count {
                    let current = bytes[index]
                    if current == ascii("\\") && byte == ascii("\"") {
                        index += 2
                        continue
                    }
                    if current == ascii("\n") {
                        line += 1
                        // A one-line string ends at the line's end, broken or not.
                        if !triple { break }
                    }
                    if current == byte && (!triple || (peek(1) == byte && peek(2) == byte)) {
                        index += triple ? 3 : 1
                        break
                    }
                    index += 1
                }
                continue
            case ascii("["), ascii("{"):
                depth += 1
            case ascii("]"), ascii("}"):
                depth = max(0, depth - 1)
            default:
                break
            }
            index += 1
        }
        return lines
    }

    /// A bare key character, or a quote that starts a quoted key.
    private static func startsKey(_ byte: UInt8) -> Bool {
        (byte >= ascii("a") && byte <= ascii("z")) || (byte >= ascii("A") && byte <= ascii("Z"))
            || (byte >= ascii("0") && byte <= ascii("9")) || byte == ascii("_") || byte == ascii("-")
            || byte == ascii("\"") || byte == ascii("'")
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }
}
