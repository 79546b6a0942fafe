import Foundation

/// Runs host commands for the integration tests: arguments as arrays, no shell unless asked.
enum Shell {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var output: Output
        var description: String {
            "\(command.joined(separator: " ")) exited \(output.status): \(output.stderr.isEmpty ? output.stdout : output.stderr)"
        }
    }

    /// Runs `command` to its end and returns what it printed.
    @discardableResult
    static func run(_ command: [String], environment: [String: String] = [:], check: Bool = true) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the command runs, so a chatty one cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errReader.isFinished { usleep(1000) }
        let output = Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
        if check && output.status != 0 { throw Failure(command: command, output: output) }
        return output
    }

    /// Runs a shell script (for pipelines in test set-up only).
    @discardableResult
    static func sh(_ script: String, check: Bool = true) throws -> Output {
        try run(["bash", "-euo", "pipefail", "-c", script], check: check)
    }

    /// The SHA-256 of `text`'s UTF-8 bytes, in lowercase hex.
    static func sha256(ofText text: String) throws -> String {
        let file = NSTemporaryDirectory() + "/vmbt-text-" + UUID().uuidString
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try sha256(ofFile: file)
    }

    static func sha256(ofFile path: String) throws -> String {
        let line = try run(["sha256sum", path]).stdout
        return String(line.prefix(64))
    }
}
