/// Finds what toml++'s parser asserts on instead of reporting an error (a crash in a debug build,
/// undefined behaviour in a release one), before the text reaches it: table headers whose name
/// does not start as TOML allows (`[`, `[ü]`, `[:x]`), and a bracket that closes what is not open
/// (`x = [1, }`).
///
/// Reads the text as TOML lays it out: strings (basic, literal, multi-line) and comments are
/// skipped, and a `[` opens a header only at the start of a line outside any value.
enum TOMLHeaderCheck {
    /// The 1-based lines of the malformed headers.
    static func malformedHeaderLines(_ text: String) -> [Int] {
        problems(text).filter { $0.kind == .header }.map(\.line)
    }

    enum Kind { case header, bracket }

    /// Every problem, in file order.
    static func problems(_ text: String) -> [(kind: Kind, line: Int)] {
        let bytes = Array(text.utf8)
        var lines: [(kind: Kind, line: Int)] = []
        var line = 1
        var index = 0
        // The arrays and inline tables open at this point, innermost last.
        var open: [UInt8] = []
        var depth: Int { open.count }
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
                if next >= bytes.count || !startsKey(bytes[next]) { lines.append((.header, line)) }
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
                        // A one-line string ends at the line's end, broken or not; the line's end
                        // is the outer loop's to count.
                        if !triple { break }
                        line += 1
                    }
                    if current == byte && (!triple || (peek(1) == byte && peek(2) == byte)) {
                        index += triple ? 3 : 1
                        break
                    }
                    index += 1
                }
                continue
            case ascii("["), ascii("{"):
                open.append(byte)
            case ascii("]"), ascii("}"):
                if let innermost = open.last {
                    let opening = byte == ascii("]") ? ascii("[") : ascii("{")
                    if innermost != opening {
                        lines.append((.bracket, line))
                        return lines
                    }
                    open.removeLast()
                }
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
