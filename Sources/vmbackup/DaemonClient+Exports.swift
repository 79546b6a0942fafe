import APIModel
import Foundation

/// The export endpoints (`vmbackup mount`, `unmount`, `exports`).
extension DaemonClient {
    func mount(vm: String, backup: String, request: MountRequest) async throws -> Answer<ExportSummary> {
        try await send(.POST, backupPath(vm: vm, id: backup) + "/mount", body: try APIJSON.encoder().encode(request))
    }

    func exports() async throws -> Answer<[ExportSummary]> {
        try await send(.GET, "/v1/exports")
    }

    func export(id: String) async throws -> Answer<ExportSummary> {
        try await send(.GET, "/v1/exports/\(pathSegment(id))")
    }

    func unmount(id: String) async throws -> Answer<ExportSummary> {
        try await send(.DELETE, "/v1/exports/\(pathSegment(id))")
    }
}
