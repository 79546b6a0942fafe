import APIModel
import Foundation

/// A failure the CLI reports as one line on stderr (with `--json`, also as a JSON object on stdout),
/// with its exit status.
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

        /// The code a failure of this status has when the daemon gave none.
        var code: String {
            switch self {
            case .failure: "failed"
            case .usage: "usage"
            case .daemonUnreachable: "daemon_unreachable"
            case .notFound: "not_found"
            case .busy: "busy"
            case .interrupted: "interrupted"
            }
        }
    }

    var message: String
    var status: ExitStatus
    /// The daemon's error code (`vm_not_found`), or the CLI's own (`daemon_unreachable`, `usage`).
    var code: String
    /// The HTTP status of the daemon's answer, when the failure is the daemon's.
    var httpStatus: Int?
    /// More lines for a person, after the message on stderr; not in the JSON.
    var hint: String?
    /// Whether the failure was already printed as JSON (a failed task, whose JSON has the error).
    var shownAsJSON = false

    init(_ message: String, status: ExitStatus = .failure, code: String? = nil) {
        self.message = message
        self.status = status
        self.code = code ?? status.code
    }

    /// The daemon's own error, with the exit status its code calls for.
    init(daemonError code: String, message: String, httpStatus: Int? = nil) {
        let status: ExitStatus =
            switch APIErrorCode(rawValue: code) {
            case .notFound, .vmNotFound, .backupNotFound, .taskNotFound, .exportNotFound: .notFound
            case .vmBusy, .backupInUse: .busy
            default: .failure
            }
        self.init(message, status: status, code: code)
        self.httpStatus = httpStatus
    }

    init(_ error: APIErrorInfo) {
        self.init(daemonError: error.code.rawValue, message: error.message)
    }

    static func unreachable(socketPath: String, reason: String) -> CLIFailure {
        CLIFailure(
            "cannot reach vmbackupd at \(socketPath): \(reason) (is the daemon running?)", status: .daemonUnreachable)
    }

    /// `{"error": {"code": "vm_not_found", "httpStatus": 404, "message": "...", "status": 4}}`:
    /// `status` is the exit status, `httpStatus` the daemon's answer's when it answered.
    func json() -> Data {
        struct Body: Encodable {
            struct Detail: Encodable {
                var code: String
                var message: String
                var status: Int32
                var httpStatus: Int?
            }
            var error: Detail
        }
        let body = Body(error: .init(code: code, message: message, status: status.rawValue, httpStatus: httpStatus))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)) ?? Data(#"{"error":{"code":"failed","message":"","status":1}}"#.utf8)
    }
}
