import Foundation
import Logging

/// How one log line is written: for journald, or for a terminal or a file.
///
/// Either way the line is a single line (newlines in the message and the fields are escaped, see
/// ``Logfmt``), the message comes first and the metadata follows as logfmt fields.
public enum LogLineFormat: Sendable, Equatable {
    /// For journald's stream: the syslog priority prefix `<N>` (which journald turns into the
    /// entry's PRIORITY=, with `SyslogLevelPrefix=yes`, the default), the message, the fields.
    /// No timestamp: journald records its own.
    case journal
    /// For a terminal or a plain file: an ISO 8601 timestamp in UTC, the level, the message,
    /// the fields.
    case console

    /// The line for one event, without its trailing newline.
    public func line(level: Logger.Level, message: String, metadata: Logger.Metadata, at date: Date) -> String {
        let fields = Logfmt.fields(metadata)
        let text = Logfmt.oneLine(message) + (fields.isEmpty ? "" : " " + fields)
        switch self {
        case .journal:
            return "<\(Self.syslogPriority(level))>" + text
        case .console:
            return Self.timestamp(date) + " " + Self.name(level) + " " + text
        }
    }

    /// The syslog priority journald files a level under: `journalctl -p err` shows error and
    /// critical.
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The level's name as `--log-level` spells it, padded to one width so messages line up.
    static func name(_ level: Logger.Level) -> String {
        let name = level.rawValue
        return name + String(repeating: " ", count: max(0, 8 - name.count))
    }

    /// `2026-11-22T01:30:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }
}
