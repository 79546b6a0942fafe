import ControlAPI
import Foundation
import Logging

/// A fresh directory under /tmp, short enough for a socket path, removed afterwards.
func withTemporaryDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    let path = "/tmp/vmbackup-api-" + UUID().uuidString.prefix(8)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Runs a real ``ControlServer`` on `socketPath` for the duration of `body`.
func withRunningServer<Result>(
    socketPath: String, controller: some BackupController,
    limits: ConnectionLimits = ConnectionLimits(maxConnections: 64),
    _ body: (RawHTTPClient) async throws -> Result
) async throws -> Result {
    let (listening, signal) = AsyncStream<Void>.makeStream()
    let server = ControlServer(
        socketPath: socketPath, controller: controller, limits: limits, logger: .quietTestLogger,
        onListening: { signal.finish() })
    let application = try server.makeApplication()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { signal.finish() }
            try await application.run()
        }
        // Stopped by cancellation, which Hummingbird logs as an error; a daemon stops it gracefully.
        for await _ in listening {}
        defer { group.cancelAll() }
        return try await body(RawHTTPClient(socketPath: socketPath))
    }
}

/// Runs a real ``ControlServer`` on a temporary socket for the duration of `body`.
func withRunningServer<Result>(
    controller: some BackupController = FakeBackupController(),
    limits: ConnectionLimits = ConnectionLimits(maxConnections: 64),
    _ body: (RawHTTPClient) async throws -> Result
) async throws -> Result {
    try await withTemporaryDirectory { directory in
        try await withRunningServer(
            socketPath: directory + "/api.sock", controller: controller, limits: limits, body)
    }
}

extension Logger {
    static let quietTestLogger: Logger = {
        var logger = Logger(label: "test.controlapi")
        logger.logLevel = .critical
        return logger
    }()
}
