import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Writes each event as one line to stderr, in the ``LogLineFormat`` that suits where stderr
/// goes: journald's stream, or a terminal or file.
///
/// A line is written with one `write(2)` call, so lines of concurrent tasks never interleave.
public struct DaemonLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let format: LogLineFormat
    let descriptor: Int32

    /// A handler writing to `descriptor` (stderr by default) in `format`.
    public init(format: LogLineFormat, level: Logger.Level, descriptor: Int32 = 2) {
        self.format = format
        self.logLevel = level
        self.descriptor = descriptor
    }

    /// The format for this process's stderr: journald's when `$JOURNAL_STREAM` names it.
    public static func standardErrorFormat() -> LogLineFormat {
        JournalStream.format(forDescriptor: 2, journalStream: ProcessInfo.processInfo.environment["JOURNAL_STREAM"])
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        let line = format.line(level: event.level, message: event.message.description, metadata: merged, at: Date())
        Self.write(line + "\n", to: descriptor)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

extension DaemonLogHandler {
    /// Makes every logger of the process write to stderr at `level` and above, in the format for
    /// where stderr goes; returns that format. Call once, first thing.
    @discardableResult
    public static func bootstrap(level: Logger.Level) -> LogLineFormat {
        let format = standardErrorFormat()
        LoggingSystem.bootstrap { _ in DaemonLogHandler(format: format, level: level) }
        return format
    }
}
