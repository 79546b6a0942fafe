import APIModel
import Foundation

/// The one-line progress display of a running task:
/// `streaming vda  [#########-----------]  45%  1.2 GiB / 2.7 GiB  180.3 MiB/s`.
struct ProgressLine {
    static let barWidth = 24

    var step: String
    var progress: TaskProgress
    /// Bytes per second, once known.
    var rate: Double?

    init(task: TaskInfo, rate: Double?) {
        self.step = task.step ?? task.state.rawValue
        self.progress = task.progress
        self.rate = rate
    }

    /// The line, cut to `columns` characters so that it never wraps.
    func rendered(columns: Int) -> String {
        var parts = [step]
        if progress.totalBytes > 0 {
            let fraction = min(1, Double(progress.doneBytes) / Double(progress.totalBytes))
            let filled = Int((fraction * Double(Self.barWidth)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.barWidth - filled)
            parts.append("[\(bar)]")
            parts.append(String(format: "%3d%%", Int((fraction * 100).rounded(.down))))
            parts.append("\(ByteCount.format(progress.doneBytes)) / \(ByteCount.format(progress.totalBytes))")
        }
        if let rate {
            parts.append(ByteCount.formatRate(rate))
        }
        return String(parts.joined(separator: "  ").prefix(max(0, columns - 1)))
    }
}

/// The transfer rate over the last few seconds of samples.
struct RateMeter {
    private var samples: [(time: ContinuousClock.Instant, bytes: UInt64)] = []
    private let window: Duration = .seconds(3)

    mutating func record(_ bytes: UInt64, at time: ContinuousClock.Instant) -> Double? {
        if let last = samples.last, bytes < last.bytes {
            samples.removeAll()  // a new disk's count, or a restarted step
        }
        samples.append((time, bytes))
        samples.removeAll { time - $0.time > window }
        guard let first = samples.first, first.time < time else { return nil }
        return Double(bytes - first.bytes) / ((time - first.time) / .seconds(1))
    }
}
