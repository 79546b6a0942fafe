import APIModel
import ControlAPI
import Engine

/// Answers the socket API with the engine.
struct EngineController: BackupController {
    let engine: BackupEngine

    func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo {
        try await engine.startBackup(vm: vm, request: request)
    }

    func listBackups(vm: String) async throws -> [BackupSummary] {
        try await engine.listBackups(vm: vm)
    }

    func backup(vm: String, id: String) async throws -> BackupSummary {
        try await engine.backup(vm: vm, id: id)
    }

    func task(id: String) async throws -> TaskInfo {
        try await engine.task(id: id)
    }

    func tasks() async -> [TaskInfo] {
        await engine.tasks()
    }

    func cancelTask(id: String) async throws -> TaskInfo {
        try await engine.cancelTask(id: id)
    }

    func status() async -> DaemonStatus {
        await engine.status()
    }
}
