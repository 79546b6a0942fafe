import APIModel
import ControlAPI
import Engine
import Prometheus

/// Answers the socket API with the engine.
struct EngineController: BackupController {
    let engine: BackupEngine
    let scheduler: BackupScheduler
    let metricsRegistry: PrometheusCollectorRegistry

    func vms() async throws -> [VMSummary] {
        try await engine.vms()
    }

    func startDrill(vm: String, id: String) async throws -> TaskInfo {
        try await engine.startDrill(vm: vm, id: id)
    }

    func drills(vm: String) async throws -> [DrillResult] {
        try await engine.drills(vm: vm)
    }

    func instantCopies() async throws -> [InstantCopySummary] {
        try await engine.instantCopies()
    }

    func keepInstantCopy(_ name: String) async throws -> InstantCopySummary {
        try await engine.keepInstantCopy(name)
    }

    func discardInstantCopy(_ name: String) async throws -> InstantCopySummary {
        try await engine.discardInstantCopy(name)
    }

    func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo {
        try await engine.startBackup(vm: vm, request: request)
    }

    func startRestore(vm: String, id: String, request: RestoreRequest) async throws -> TaskInfo {
        try await engine.startRestore(vm: vm, id: id, request: request)
    }

    func listBackups(vm: String, parent: String?) async throws -> [BackupSummary] {
        try await engine.listBackups(vm: vm, parent: parent)
    }

    func backup(vm: String, id: String) async throws -> BackupSummary {
        try await engine.backup(vm: vm, id: id)
    }

    func updateBackup(vm: String, id: String, update: BackupUpdate) async throws -> BackupSummary {
        try await engine.updateBackup(vm: vm, id: id, update: update)
    }

    func deleteBackup(vm: String, id: String, children: ChildrenDeletion?) async throws -> BackupDeletion {
        try await engine.deleteBackup(vm: vm, id: id, children: children)
    }

    func startVerify(vm: String, id: String) async throws -> TaskInfo {
        try await engine.startVerify(vm: vm, id: id)
    }

    func prune(vm: String, request: PruneRequest) async throws -> PruneResult {
        try await engine.prune(vm: vm, request: request)
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

    func metrics() async -> String {
        await engine.refreshMetrics()
        return metricsRegistry.emitToString()
    }

    func status() async -> DaemonStatus {
        var status = await engine.status()
        status.schedule = await scheduler.entries()
        return status
    }
}
