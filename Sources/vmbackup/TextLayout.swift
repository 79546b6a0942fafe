import Foundation

/// Columns padded to their widest cell, separated by two spaces.
enum TextTable {
    static func render(header: [String]? = nil, rows: [[String]], indent: Int = 0) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        var widths: [Int] = []
        for row in all {
            // A row's last cell is never padded, so it does not widen its column.
            for (column, cell) in row.dropLast().enumerated() {
                if column == widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        let margin = String(repeating: " ", count: indent)
        return all.map { row in
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            return margin + cells.joined(separator: "  ") + "\n"
        }.joined()
    }
}

/// `label:  value` lines, values aligned.
enum FieldList {
    static func render(_ fields: [(label: String, value: String)]) -> String {
        TextTable.render(rows: fields.map { ["\($0.label):", $0.value] })
    }
}

/// Times in the local time zone: `2026-11-22 01:30:00`.
enum DisplayDate {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
