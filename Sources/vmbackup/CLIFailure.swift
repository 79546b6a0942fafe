import APIModel

/// A failure the CLI reports as one line on stderr, with its exit status.
struct CLIFailure: Error {
    /// The exit statuses of `vmbackup`; 2 (usage) comes from argument parsing.
    enum ExitStatus: Int32 {
        case failure = 1
        case usage = 2
        case daemonUnreachable = 3
        case notFound = 4
        case busy = 5
        /// Ctrl-C left a followed task running (128 + SIGINT, as shells report it).
        case interrupted = 130
    }

    var message: String
    var status: ExitStatus

    init(_ message: String, status: ExitStatus = .failure) {
        self.message = message
        self.status = status
    }

    /// The daemon's own error, with the exit status its code calls for.
    init(daemonError code: String, message: String) {
        self.message = message
        switch APIErrorCode(rawValue: code) {
        case .notFound, .vmNotFound, .backupNotFound, .taskNotFound, .exportNotFound: self.status = .notFound
        case .vmBusy, .backupInUse: self.status = .busy
        default: self.status = .failure
        }
    }

    init(_ error: APIErrorInfo) {
        self.init(daemonError: error.code.rawValue, message: error.message)
    }

    static func unreachable(socketPath: String, reason: String) -> CLIFailure {
        CLIFailure(
            "cannot reach vmbackupd at \(socketPath): \(reason) (is the daemon running?)", status: .daemonUnreachable)
    }
}
