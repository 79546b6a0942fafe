import Foundation

/// Sizes as people read them: `512 B`, `1.5 KiB`, `20.0 GiB`.
enum ByteCount {
    private static let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]

    static func format(_ bytes: UInt64) -> String {
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return String(format: "%.1f", value) + " " + units[unit]
    }

    /// A transfer rate: `180.3 MiB/s`.
    static func formatRate(_ bytesPerSecond: Double) -> String {
        format(UInt64(max(0, bytesPerSecond).rounded())) + "/s"
    }
}
