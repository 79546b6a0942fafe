import Foundation
import Testing

@testable import Scheduling

/// Backups at explicit times, named by their local wall-clock time and UTC offset, so that a
/// table of expectations reads as a dry run does: `2025-10-26T02:30+02:00`, `2026-03-01T23:00Z`.
enum RetentionFixture {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// The instant at a wall-clock time in `zone`.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, in zone: TimeZone = utc)
        -> Date
    {
        calendar(zone).date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// `date`'s wall-clock time in `zone` with its offset, to the minute.
    static func label(_ date: Date, in zone: TimeZone = utc) -> String {
        let parts = calendar(zone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        let time = "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute))"
        let offset = zone.secondsFromGMT(for: date)
        guard offset != 0 else { return time + "Z" }
        return time + (offset < 0 ? "-" : "+") + two(abs(offset) / 3600) + ":" + two(abs(offset) % 3600 / 60)
    }

    /// The label of a wall-clock time in `zone`.
    static func label(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, in zone: TimeZone = utc
    )
        -> String
    {
        label(date(year, month, day, hour, minute, in: zone), in: zone)
    }

    /// A good, unprotected full backup at a wall-clock time in `zone`, named by its label.
    static func backup(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, in zone: TimeZone = utc,
        parent: String? = nil, isProtected: Bool = false, isGood: Bool = true, isRewritable: Bool = true
    ) -> RetentionCandidate {
        let created = date(year, month, day, hour, minute, in: zone)
        return RetentionCandidate(
            id: label(created, in: zone), created: created, parent: parent, isProtected: isProtected, isGood: isGood,
            isRewritable: isRewritable)
    }

    /// A backup every hour (3,600 s, whatever the clocks do), from `first` through `last`.
    static func hourly(from first: Date, through last: Date, in zone: TimeZone = utc) -> [RetentionCandidate] {
        stride(from: first.timeIntervalSince1970, through: last.timeIntervalSince1970, by: 3600).map {
            let created = Date(timeIntervalSince1970: $0)
            return RetentionCandidate(id: label(created, in: zone), created: created)
        }
    }

    /// A backup every day at the same wall-clock time in `zone`, from `first` through `last`.
    static func daily(from first: Date, through last: Date, in zone: TimeZone = utc) -> [RetentionCandidate] {
        var backups: [RetentionCandidate] = []
        var day = 0
        while let created = calendar(zone).date(byAdding: .day, value: day, to: first), created <= last {
            backups.append(RetentionCandidate(id: label(created, in: zone), created: created))
            day += 1
        }
        return backups
    }

    /// An expected row of ``RetentionPlan/keep``.
    static func kept(_ id: String, _ reasons: RetentionReason...) -> RetentionPlan.KeptBackup {
        RetentionPlan.KeptBackup(id: id, reasons: reasons)
    }

    /// Checks that no kept backup loses content: every removed backup it reads through (through
    /// removed backups only) is merged into it, and every backup is removed after its removed
    /// children.
    static func expectNoOrphans(
        _ plan: RetentionPlan, of backups: [RetentionCandidate], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let position = Dictionary(uniqueKeysWithValues: plan.remove.enumerated().map { ($0.element, $0.offset) })
        let parents = Dictionary(uniqueKeysWithValues: backups.map { ($0.id, $0.parent) })
        let rows = Dictionary(uniqueKeysWithValues: plan.rows.map { ($0.id, $0) })
        for backup in backups {
            guard let parent = backup.parent, let parentPosition = position[parent] else { continue }
            if let childPosition = position[backup.id] {
                #expect(
                    childPosition < parentPosition, "\(parent) is removed before its child \(backup.id)",
                    sourceLocation: sourceLocation)
                continue
            }
            var ancestor: String? = parent
            while let id = ancestor, position[id] != nil {
                #expect(
                    rows[id]?.action == .merge && rows[id]?.mergeInto.contains(backup.id) == true,
                    "\(backup.id) is kept but \(id), which it reads through, is removed without merging into it",
                    sourceLocation: sourceLocation)
                ancestor = parents[id] ?? nil
            }
        }
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
