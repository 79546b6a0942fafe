import DaemonLogging
import Foundation
import Testing

@Suite struct JournalStreamTests {
    @Test func parsesDeviceAndInode() {
        #expect(JournalStream(environmentValue: "64774:123456") == JournalStream(device: 64774, inode: 123456))
    }

    @Test(arguments: ["", "12", "12:", ":34", "a:b", "1:2:3", "-1:2"])
    func refusesAnythingElse(value: String) {
        #expect(JournalStream(environmentValue: value) == nil)
    }

    @Test func aDescriptorNamedByJournalStreamGetsTheJournalFormat() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-stream-\(getpid())").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        let stream = try #require(JournalStream.of(descriptor: handle.fileDescriptor))
        let value = "\(stream.device):\(stream.inode)"
        #expect(JournalStream.format(forDescriptor: handle.fileDescriptor, journalStream: value) == .journal)
    }

    @Test func anotherStreamOrNoneGetsTheConsoleFormat() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("console-stream-\(getpid())").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        let stream = try #require(JournalStream.of(descriptor: handle.fileDescriptor))
        let other = "\(stream.device):\(stream.inode + 1)"
        #expect(JournalStream.format(forDescriptor: handle.fileDescriptor, journalStream: other) == .console)
        #expect(JournalStream.format(forDescriptor: handle.fileDescriptor, journalStream: nil) == .console)
    }
}
