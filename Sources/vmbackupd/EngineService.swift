import Engine
import ServiceLifecycle

/// The job engine as a service: on graceful shutdown it cancels running jobs and waits until
/// each has thawed its guest, merged its snapshots and cleaned up.
struct EngineService: Service {
    let engine: BackupEngine

    func run() async throws {
        try? await gracefulShutdown()
        await engine.shutdown()
    }
}
