import APIModel
import Foundation

/// How a followed task's progress shows on stderr.
enum ProgressStyle: Equatable {
    /// One line drawn over itself: stderr is a terminal.
    case redrawn
    /// Plain lines for logs and CI: on each new step, each 10 % and at least every `period`.
    case lines(period: Duration)
    case none

    /// The variable that sets the period of plain lines, in seconds; 0 turns them off.
    static let periodVariable = "VMBACKUP_PROGRESS_INTERVAL"
    static let defaultPeriod = Duration.seconds(10)

    /// Redrawn on a terminal, else lines every `$VMBACKUP_PROGRESS_INTERVAL` seconds (10).
    static var current: ProgressStyle {
        style(stderrIsTerminal: Terminal.stderrIsTerminal, environment: ProcessInfo.processInfo.environment)
    }

    static func style(stderrIsTerminal: Bool, environment: [String: String]) -> ProgressStyle {
        if stderrIsTerminal { return .redrawn }
        guard let text = environment[periodVariable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return .lines(period: defaultPeriod)
        }
        let number = text.hasSuffix("s") ? String(text.dropLast()) : text
        guard let seconds = Double(number), seconds.isFinite, seconds >= 0 else { return .lines(period: defaultPeriod) }
        return seconds == 0 ? .none : .lines(period: .milliseconds(Int64((seconds * 1000).rounded())))
    }
}

/// A followed task's progress on stderr, in its ``ProgressStyle``.
struct ProgressDrawing {
    let style: ProgressStyle
    private var meter = RateMeter()
    private var log: ProgressLog?
    private var drawn = false
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    init(style: ProgressStyle) {
        self.style = style
        self.start = clock.now
        if case .lines(let period) = style { log = ProgressLog(period: period) }
    }

    mutating func draw(_ task: TaskInfo) {
        let now = clock.now
        switch style {
        case .redrawn:
            let rate = meter.record(task.progress.doneBytes, at: now)
            Terminal.writeError(
                "\r\u{1B}[K" + ProgressLine(task: task, rate: rate).rendered(columns: Terminal.columns))
            drawn = true
        case .lines:
            let rate = meter.record(task.progress.doneBytes, at: now)
            let elapsed = now - start
            if let line = log?.line(for: task, rate: rate, elapsed: elapsed) {
                Terminal.writeError(line + "\n")
            }
        case .none:
            break
        }
    }

    mutating func clear() {
        if drawn { Terminal.writeError("\r\u{1B}[K") }
        drawn = false
    }
}

/// When a plain progress line is due, and what it says:
/// `progress 40s: streaming vda  45%  1.2 GiB / 2.7 GiB  180.3 MiB/s`. A line is due on the
/// first look at the task, when its step changes, when it passes a multiple of 10 %, and when
/// `period` has passed since the last line.
struct ProgressLog {
    let period: Duration
    private var lastLine: Duration?
    private var lastStep: String?
    private var lastTenth = 0

    init(period: Duration) {
        self.period = period
    }

    /// The line to print at `elapsed` since following began, or `nil` when none is due.
    mutating func line(for task: TaskInfo, rate: Double?, elapsed: Duration) -> String? {
        let step = task.step ?? task.state.rawValue
        let tenth = Self.percent(task.progress).map { $0 / 10 } ?? 0
        let due =
            (lastLine.map { elapsed - $0 >= period } ?? true) || step != lastStep || tenth > lastTenth
        guard due else { return nil }
        lastLine = elapsed
        lastStep = step
        lastTenth = max(lastTenth, tenth)
        return Self.render(step: step, progress: task.progress, rate: rate, elapsed: elapsed)
    }

    static func render(step: String, progress: TaskProgress, rate: Double?, elapsed: Duration) -> String {
        var parts = [step]
        if let percent = percent(progress) {
            parts.append("\(percent)%")
            parts.append("\(ByteCount.format(progress.doneBytes)) / \(ByteCount.format(progress.totalBytes))")
        }
        if let rate { parts.append(ByteCount.formatRate(rate)) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return "progress \(ElapsedTime.format(seconds)): " + parts.joined(separator: "  ")
    }

    /// 0 to 100; `nil` until the task knows how much it has to do.
    static func percent(_ progress: TaskProgress) -> Int? {
        guard progress.totalBytes > 0 else { return nil }
        return Int(min(100, progress.doneBytes * 100 / progress.totalBytes))
    }
}
