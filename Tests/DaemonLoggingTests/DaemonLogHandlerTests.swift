import DaemonLogging
import Foundation
import Logging
import Testing

@Suite struct DaemonLogHandlerTests {
    @Test func writesOneLineWithTheLoggersMetadataAndTheEventsOwn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("handler-\(getpid())").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var logger = Logger(label: "test") { _ in
            DaemonLogHandler(format: .journal, level: .info, descriptor: handle.fileDescriptor)
        }
        logger[metadataKey: "job.id"] = "t-1"
        logger.debug("not written")
        logger.notice("Streamed disk", metadata: ["disk.target": "vda"])
        try handle.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "<5>Streamed disk disk.target=vda job.id=t-1\n")
    }
}
