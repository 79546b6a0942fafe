import APIModel
import Foundation
import NIOCore
import NIOHTTP1

/// The socket API as the CLI uses it: typed requests, the daemon's errors as ``CLIFailure``.
struct DaemonClient: Sendable {
    /// A decoded answer and the JSON it came from, printed as is by `--json`.
    struct Answer<Value: Sendable>: Sendable {
        var value: Value
        var json: Data
    }

    let socketPath: String
    private let http: UnixSocketHTTPClient

    /// A client whose requests each take at most `timeout`, connection included.
    init(socketPath: String, timeout: TimeAmount = .seconds(60)) {
        self.socketPath = socketPath
        self.http = UnixSocketHTTPClient(socketPath: socketPath, timeout: timeout)
    }

    func startBackup(vm: String, request: BackupRequest) async throws -> Answer<TaskInfo> {
        let body = try APIJSON.encoder().encode(request)
        return try await send(.POST, "/v1/vms/\(pathSegment(vm))/backups", body: body)
    }

    func startRestore(vm: String, backup: String, request: RestoreRequest) async throws -> Answer<TaskInfo> {
        let body = try APIJSON.encoder().encode(request)
        return try await send(.POST, backupPath(vm: vm, id: backup) + "/restore", body: body)
    }

    func startDrill(vm: String, backup: String) async throws -> Answer<TaskInfo> {
        try await send(.POST, backupPath(vm: vm, id: backup) + "/drill")
    }

    func drills(vm: String) async throws -> Answer<[DrillResult]> {
        try await send(.GET, "/v1/vms/\(pathSegment(vm))/drills")
    }

    func instantCopies() async throws -> Answer<[InstantCopySummary]> {
        try await send(.GET, "/v1/instant")
    }

    func keepInstantCopy(_ name: String) async throws -> Answer<InstantCopySummary> {
        try await send(.POST, "/v1/instant/\(pathSegment(name))/keep")
    }

    func discardInstantCopy(_ name: String) async throws -> Answer<InstantCopySummary> {
        try await send(.DELETE, "/v1/instant/\(pathSegment(name))")
    }

    func vms() async throws -> Answer<[VMSummary]> {
        try await send(.GET, "/v1/vms")
    }

    func listBackups(vm: String) async throws -> Answer<[BackupSummary]> {
        try await send(.GET, "/v1/vms/\(pathSegment(vm))/backups")
    }

    func backup(vm: String, id: String) async throws -> Answer<BackupSummary> {
        try await send(.GET, backupPath(vm: vm, id: id))
    }

    func updateBackup(vm: String, id: String, update: BackupUpdate) async throws -> Answer<BackupSummary> {
        try await send(.PUT, backupPath(vm: vm, id: id), body: try APIJSON.encoder().encode(update))
    }

    func deleteBackup(vm: String, id: String, children: ChildrenDeletion?) async throws -> Answer<BackupDeletion> {
        let query = children.map { "?children=\($0.rawValue)" } ?? ""
        return try await send(.DELETE, backupPath(vm: vm, id: id) + query)
    }

    func startVerify(vm: String, id: String) async throws -> Answer<TaskInfo> {
        try await send(.POST, backupPath(vm: vm, id: id) + "/verify", body: Data("{}".utf8))
    }

    func prune(vm: String, request: PruneRequest) async throws -> Answer<PruneResult> {
        let body = try APIJSON.encoder().encode(request)
        return try await send(.POST, "/v1/vms/\(pathSegment(vm))/prune", body: body)
    }

    func task(id: String) async throws -> Answer<TaskInfo> {
        try await send(.GET, "/v1/tasks/\(pathSegment(id))")
    }

    /// Asks the daemon to cancel a task; answers the task as it is then (its cleanup may still run).
    func cancelTask(id: String) async throws -> Answer<TaskInfo> {
        try await send(.DELETE, "/v1/tasks/\(pathSegment(id))")
    }

    /// The tasks the daemon holds and the recent finished ones the catalog keeps, oldest first.
    func tasks() async throws -> Answer<[TaskInfo]> {
        try await send(.GET, "/v1/tasks")
    }

    func status() async throws -> Answer<DaemonStatus> {
        try await send(.GET, "/v1/status")
    }

    func send<Value: Decodable & Sendable>(_ method: HTTPMethod, _ path: String, body: Data? = nil)
        async throws -> Answer<Value>
    {
        let response: UnixSocketHTTPClient.Response
        do {
            response = try await http.send(method, path, body: body.map { ByteBuffer(bytes: $0) })
        } catch UnixSocketHTTPClient.Failure.unreachable(let reason) {
            throw CLIFailure.unreachable(socketPath: socketPath, reason: reason)
        } catch UnixSocketHTTPClient.Failure.incompleteResponse {
            throw CLIFailure.unreachable(socketPath: socketPath, reason: "no complete answer")
        } catch UnixSocketHTTPClient.Failure.responseTooLarge {
            throw CLIFailure("vmbackupd's answer to \(method) \(path) is too large")
        }
        let json = Data(response.body.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            throw Self.failure(status: response.status, body: json)
        }
        do {
            return Answer(value: try APIJSON.decoder().decode(Value.self, from: json), json: json)
        } catch {
            throw CLIFailure("cannot read vmbackupd's answer to \(method) \(path): \(error)")
        }
    }

    /// The daemon's `{"error": {...}}`, read leniently so that a code newer than this CLI still shows.
    private static func failure(status: HTTPResponseStatus, body: Data) -> CLIFailure {
        struct ErrorBody: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        guard let detail = try? JSONDecoder().decode(ErrorBody.self, from: body).error else {
            var failure = CLIFailure("vmbackupd answered \(status.code) \(status.reasonPhrase)")
            failure.httpStatus = Int(status.code)
            return failure
        }
        return CLIFailure(daemonError: detail.code, message: detail.message, httpStatus: Int(status.code))
    }

    func backupPath(vm: String, id: String) -> String {
        "/v1/vms/\(pathSegment(vm))/backups/\(pathSegment(id))"
    }

    /// One path segment, percent-encoded: a VM may be named `web 01`.
    func pathSegment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
