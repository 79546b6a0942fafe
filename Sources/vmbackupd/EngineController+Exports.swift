import APIModel
import ControlAPI

/// The export endpoints, answered by the engine's export registry.
extension EngineController {
    func mount(vm: String, id: String, request: MountRequest) async throws -> ExportSummary {
        try await engine.mount(vm: vm, id: id, request: request)
    }

    func exports() async throws -> [ExportSummary] {
        engine.listExports()
    }

    func export(id: String) async throws -> ExportSummary {
        try engine.export(id: id)
    }

    func unmount(id: String) async throws -> ExportSummary {
        try await engine.unmount(id: id)
    }
}
