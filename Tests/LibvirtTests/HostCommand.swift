import Foundation

/// Runs a host program with an argument array (no shell) and returns its standard output.
enum HostCommand {
    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var output: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(command: [executable] + arguments, status: process.terminationStatus, output: text)
        }
        return text
    }

    /// The SHA-256 of a file's first `bytes` bytes, or of the whole file.
    static func sha256(of path: String, bytes: Int? = nil) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let data = try bytes.map { try handle.read(upToCount: $0) ?? Data() } ?? handle.readToEnd() ?? Data()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-libvirt-\(UUID().uuidString)")
        try data.write(to: scratch)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let line = try run("/usr/bin/sha256sum", [scratch.path])
        return String(line.prefix(64))
    }
}
