import APIModel
import Foundation

/// The tasks as `vmbackup tasks` prints them, one row each:
///
/// ```
/// ID                                    KIND    VM     STATE      STARTED              DURATION  ERROR
/// 0b7d1c2e-9a4f-4e61-8d3c-5f2a1b0e9c7d  backup  web01  succeeded  2026-11-22 01:30:00  3m12s     -
/// 5e2f8a1b-3c4d-4e5f-9a6b-7c8d9e0f1a2b  backup  db01   failed     2026-11-22 01:31:00  2s        agent_unavailable: ...
/// ```
enum TaskTable {
    static let header = ["ID", "KIND", "VM", "STATE", "STARTED", "DURATION", "ERROR"]

    static func render(_ tasks: [TaskInfo], now: Date) -> String {
        TextTable.render(header: header, rows: tasks.map { row($0, now: now) })
    }

    private static func row(_ task: TaskInfo, now: Date) -> [String] {
        [
            task.id, task.kind, task.vm, task.state.rawValue,
            DisplayDate.format(task.started ?? task.created),
            duration(task, now: now).map(ElapsedTime.format) ?? "-",
            task.error.map { "\($0.code.rawValue): \($0.message)" } ?? "-",
        ]
    }

    /// How long the task ran, or has run so far; `nil` for one that never started.
    static func duration(_ task: TaskInfo, now: Date) -> TimeInterval? {
        guard let started = task.started else { return nil }
        return max(0, (task.finished ?? now).timeIntervalSince(started))
    }
}

/// Lengths of time as people read them: `0s`, `42s`, `3m12s`, `2h05m`, `3d04h`.
enum ElapsedTime {
    static func format(_ interval: TimeInterval) -> String {
        let seconds = Int(max(0, interval).rounded(.down))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m" + twoDigits(seconds % 60) + "s"
        case ..<86_400: return "\(seconds / 3600)h" + twoDigits(seconds % 3600 / 60) + "m"
        default: return "\(seconds / 86_400)d" + twoDigits(seconds % 86_400 / 3600) + "h"
        }
    }

    /// `2m ago`: the largest unit only, for times in a table.
    static func ago(_ date: Date, now: Date) -> String {
        let seconds = Int(max(0, now.timeIntervalSince(date)).rounded(.down))
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3600)h ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
