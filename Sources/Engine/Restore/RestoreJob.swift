import APIModel
import Catalog
import Foundation
import Libvirt
import Logging
import Streaming
import Targets

/// The restore kind of job: writes each planned disk from its stored image (checked against the
/// backup's chunk index on the way), the state files, then defines or starts the domain.
///
/// Journaled before the first byte is written. When it fails or is cancelled, what it made new
/// (files, a domain) is removed; a disk written in place cannot be undone, so its journal entry
/// stays open with the problem and the domain is not started.
struct RestoreJob: Job {
    static let kind = "restore"

    let plan: RestorePlan
    let engine: BackupEngine
    let logger: Logger

    func run(_ context: JobContext) async -> JobOutcome {
        let effects = RestoreEffects(plan: plan, engine: engine, context: context, logger: logger)
        do {
            let summary = try await effects.run()
            return JobOutcome(.succeeded, restored: summary)
        } catch {
            let cancelled = Task.isCancelled || (error as? StreamError)?.isCancelled == true
            await effects.undo(after: error, cancelled: cancelled)
            if cancelled { return JobOutcome(.cancelled) }
            return JobOutcome(.failed(EngineError(classifying: error, step: await effects.step, vm: plan.vmName)))
        }
    }
}
