import Engine
import ServiceLifecycle

/// The job engine as a service: runs the schedule until shutdown; on graceful shutdown it stops
/// the schedule, cancels running jobs and waits until each has thawed its guest, merged its
/// snapshots and cleaned up.
struct EngineService: Service {
    let engine: BackupEngine
    let scheduler: BackupScheduler

    func run() async throws {
        let schedule = Task { await scheduler.run() }
        try? await gracefulShutdown()
        schedule.cancel()
        await schedule.value
        await engine.shutdown()
    }
}
