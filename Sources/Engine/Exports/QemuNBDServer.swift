import Blocking
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One running `qemu-nbd` of an export: started as the daemon's own child, ready once it has
/// written its pid file and its socket exists, stopped by SIGTERM (SIGKILL after a grace period).
///
/// The parent-death signal that ``QemuNBDExportCommand`` asks for follows the *thread* that
/// started the child, not the process: the child is started on a thread of the daemon's
/// `BlockingExecutor`, which lives as long as the daemon, never on Swift's cooperative pool, whose
/// threads may come and go.
final class QemuNBDServer: Sendable {
    /// Why qemu-nbd did not start serving.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socket: String
    private let process: Process
    private let exit = ExitSignal()
    private let errors: OutputTail

    private init(socket: String, process: Process, errors: OutputTail) {
        self.socket = socket
        self.process = process
        self.errors = errors
    }

    /// Starts `arguments` (a program, found in `PATH`, and its arguments) on a thread of
    /// `executor` and waits until `pidFile` and `socket` exist. Throws when the program cannot be
    /// started, exits first, or is not ready within `timeout` (it is stopped then).
    static func start(
        _ arguments: [String], socket: String, pidFile: String, executor: BlockingExecutor,
        timeout: Duration = .seconds(20)
    ) async throws(Failure) -> QemuNBDServer {
        guard let program = arguments.first, let executable = ExecutablePath.find(program) else {
            throw Failure(description: "cannot find \(arguments.first ?? "the program") in PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors: OutputTail
        do {
            errors = try OutputTail()
        } catch {
            throw Failure(description: "cannot open a file for \(program)'s errors: \(error)")
        }
        process.standardError = errors.handle
        let server = QemuNBDServer(socket: socket, process: process, errors: errors)
        let exit = server.exit
        process.terminationHandler = { process in exit.finish(process.terminationStatus) }
        do {
            try await executor.run { try process.run() }
        } catch {
            throw Failure(description: "cannot start \(program): \(error)")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !(isRegularFile(pidFile) && isSocket(socket)) {
            if let status = exit.status {
                throw Failure(description: server.describeExit(status))
            }
            guard clock.now < deadline else {
                _ = await server.stop()
                throw Failure(description: "qemu-nbd did not start serving on \(socket) within \(timeout)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        // Written just before it serves: an image it cannot open ends it before the file appears,
        // but a last look catches an exit that raced with it.
        if let status = exit.status { throw Failure(description: server.describeExit(status)) }
        return server
    }

    /// qemu-nbd's process id.
    var processID: Int32 { process.processIdentifier }

    /// The exit status once qemu-nbd has exited; nil while it runs.
    var exitStatus: Int32? { exit.status }

    /// Waits until qemu-nbd exits; returns its exit status (or the signal that ended it).
    func waitForExit() async -> Int32 {
        await exit.wait()
    }

    /// Stops qemu-nbd: SIGTERM (it disconnects its clients, removes its socket and exits), then
    /// SIGKILL when it still runs after `grace`. Returns its exit status.
    @discardableResult
    func stop(grace: Duration = .seconds(5)) async -> Int32 {
        if let status = exit.status { return status }
        process.terminate()
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while exit.status == nil, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if exit.status == nil {
            kill(process.processIdentifier, SIGKILL)
        }
        return await exit.wait()
    }

    /// How qemu-nbd ended, with the last line it printed on standard error.
    func describeExit(_ status: Int32) -> String {
        let reason =
            process.terminationReason == .uncaughtSignal ? "was killed by signal \(status)" : "exited \(status)"
        guard let line = errors.lastLine else { return "qemu-nbd \(reason)" }
        return "qemu-nbd \(reason): \(line)"
    }

    /// Whether a regular file exists at `path`.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// Whether a socket file exists at `path`.
    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }
}
