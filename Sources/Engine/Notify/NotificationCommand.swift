import Foundation
import Synchronization

/// Runs the program a notice goes through (`curl`, `sendmail`) with the notice on its standard
/// input, and waits for it at most `timeout`; a program still running then is killed.
enum NotificationCommand {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], input: Data, timeout: Duration) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // The notice comes from a file, not a pipe: a program that exits without reading it
        // cannot make the daemon's write fail (SIGPIPE).
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("vmbackupd-notice-\(UUID())")
        do {
            try input.write(to: inputFile)
        } catch {
            throw Failure(description: "cannot stage the notice: \(error.localizedDescription)")
        }
        let stdin: FileHandle
        do {
            stdin = try FileHandle(forReadingFrom: inputFile)
        } catch {
            try? FileManager.default.removeItem(at: inputFile)
            throw Failure(description: "cannot stage the notice: \(error.localizedDescription)")
        }
        // Read through the open handle; nothing stays behind whatever happens next.
        try? FileManager.default.removeItem(at: inputFile)
        defer { try? stdin.close() }
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        let exited = AsyncStream<Int32>.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exited.continuation.yield(finished.terminationStatus)
            exited.continuation.finish()
        }
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot run \(executable): \(error.localizedDescription)")
        }
        let killed = KillFlag()
        let killer = Task {
            try await Task.sleep(for: timeout)
            killed.value.withLock { $0 = true }
            // SIGKILL: a SIGTERM the daemon's own signal mask blocks would be blocked in the child.
            kill(process.processIdentifier, SIGKILL)
        }
        var status: Int32 = -1
        for await code in exited.stream { status = code }
        killer.cancel()
        let text = Self.readWithoutWaiting(output.fileHandleForReading)
        let name = URL(fileURLWithPath: executable).lastPathComponent
        if killed.value.withLock({ $0 }) {
            throw Failure(description: "\(name) did not finish within \(timeout)")
        }
        guard status == 0 else {
            throw Failure(description: "\(name) exited with status \(status)" + (text.isEmpty ? "" : ": \(text)"))
        }
    }

    /// What the program wrote, up to 4 KiB, without waiting: a child it left behind may still
    /// hold the pipe open.
    private static func readWithoutWaiting(_ handle: FileHandle) -> String {
        let descriptor = handle.fileDescriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private final class KillFlag: Sendable {
        let value = Mutex(false)
    }
}
