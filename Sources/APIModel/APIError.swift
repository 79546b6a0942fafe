/// The error every layer reports to the API and the CLI: a stable code and one clear line.
///
/// Serialised as `{"error": {"code": "vm_not_found", "message": "..."}}`.
public struct APIErrorInfo: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var code: APIErrorCode
    public var message: String

    public init(_ code: APIErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Stable error codes of the socket API, each with its HTTP status.
public enum APIErrorCode: String, Codable, Sendable {
    case badRequest = "bad_request"
    /// No resource at that path.
    case notFound = "not_found"
    case vmNotFound = "vm_not_found"
    case backupNotFound = "backup_not_found"
    /// A backup was named by a name that several backups of the VM have; name it by its id (409).
    case backupAmbiguous = "backup_ambiguous"
    case taskNotFound = "task_not_found"
    /// No export (`vmbackup mount`) with that id: it was stopped, or the daemon restarted.
    case exportNotFound = "export_not_found"
    /// The path exists, but not with that HTTP method (405).
    case methodNotAllowed = "method_not_allowed"
    case vmBusy = "vm_busy"
    /// The domain runs, and the operation needs it shut off (a restore in place without force).
    case vmRunning = "vm_running"
    /// What the request would create exists already (a file, a domain of that name).
    case alreadyExists = "already_exists"
    /// The backup is served by an export (`vmbackup mount`), or being deleted while a mount asks
    /// for it; deleting or pruning it waits until the export stops (409).
    case backupInUse = "backup_in_use"
    case nothingToBackUp = "nothing_to_back_up"
    case agentUnavailable = "agent_unavailable"
    /// A precondition of the snapshot methods does not hold (no room in a volume group, say).
    case preconditionFailed = "precondition_failed"
    case freezeFailed = "freeze_failed"
    case snapshotFailed = "snapshot_failed"
    case streamFailed = "stream_failed"
    case mergeFailed = "merge_failed"
    /// Restoring a disk failed: reading the backup, writing the destination, or the content read
    /// did not match the backup's chunk index.
    case restoreFailed = "restore_failed"
    /// A restore drill's guest did not boot to its agent, or could not be restored.
    case drillFailed = "drill_failed"
    case targetFailed = "target_failed"
    /// A backup did not read back as its manifest says: a stored disk or file is missing, cut
    /// short or changed.
    case verifyFailed = "verify_failed"
    case hypervisorFailed = "hypervisor_failed"
    case cancelled = "cancelled"
    case shuttingDown = "shutting_down"
    /// The socket API serves as many connections as it may, each busy with a request (503).
    case tooManyConnections = "too_many_connections"
    /// The daemon stopped (crashed, or was killed) while the task ran; it recovered at start.
    case interrupted = "interrupted"
    case `internal` = "internal"

    /// The HTTP status that carries this code.
    public var httpStatus: Int {
        switch self {
        case .badRequest, .nothingToBackUp: 400
        case .notFound, .vmNotFound, .backupNotFound, .taskNotFound, .exportNotFound: 404
        case .methodNotAllowed: 405
        case .vmBusy, .vmRunning, .alreadyExists, .backupAmbiguous, .backupInUse: 409
        case .agentUnavailable, .preconditionFailed: 412
        case .shuttingDown, .tooManyConnections: 503
        case .freezeFailed, .snapshotFailed, .streamFailed, .mergeFailed, .restoreFailed, .drillFailed,
            .targetFailed, .verifyFailed, .hypervisorFailed, .cancelled, .interrupted, .internal:
            500
        }
    }
}

/// An error that knows how the API shows it. The API's edge turns every such error into its
/// `{code, message}`; layers below keep their own typed errors.
public protocol APIErrorConvertible: Error {
    var apiError: APIErrorInfo { get }
}

extension APIErrorInfo: APIErrorConvertible {
    public var apiError: APIErrorInfo { self }
}

/// The JSON body of every error response.
public struct APIErrorBody: Codable, Sendable {
    public var error: APIErrorInfo
    public init(error: APIErrorInfo) { self.error = error }
}
