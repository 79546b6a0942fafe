import DaemonLogging
import Foundation
import Logging
import Testing

@Suite struct LogLineFormatTests {
    let date = Date(timeIntervalSince1970: 1_795_000_000.25)

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func journalLinesStartWithTheSyslogPriority(level: Logger.Level, priority: Int) {
        let line = LogLineFormat.journal.line(level: level, message: "m", metadata: [:], at: date)
        #expect(line == "<\(priority)>m")
    }

    @Test func journalLinesPutTheMessageFirstThenTheFieldsAndNoTimestamp() {
        let line = LogLineFormat.journal.line(
            level: .error, message: "backup failed", metadata: ["vm.name": "web 01", "job.id": "t-7"], at: date)
        #expect(line == #"<3>backup failed job.id=t-7 vm.name="web 01""#)
    }

    @Test func aNewlineInTheMessageDoesNotSplitTheEntry() {
        let line = LogLineFormat.journal.line(
            level: .error, message: "invalid configuration:\nline 3: bad key", metadata: ["x": "a\nb"], at: date)
        #expect(!line.contains("\n"))
        #expect(line == #"<3>invalid configuration:\nline 3: bad key x="a\nb""#)
    }

    @Test func consoleLinesCarryATimestampAndTheLevel() {
        let line = LogLineFormat.console.line(
            level: .warning, message: "target almost full", metadata: ["target": "default"], at: date)
        #expect(line == "2026-11-18T11:06:40.250Z warning  target almost full target=default")
    }

    @Test func consoleLinesWithoutMetadataEndWithTheMessage() {
        let line = LogLineFormat.console.line(level: .info, message: "ready", metadata: [:], at: date)
        #expect(line == "2026-11-18T11:06:40.250Z info     ready")
    }
}
