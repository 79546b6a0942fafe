import APIModel
import Catalog
import Foundation
import Logging

extension BackupEngine {
    /// Queues a restore drill of backup `id` of `vm` (an id, a name or `latest`) and returns its
    /// task: the backup is booted at once as a temporary domain without network interfaces,
    /// its guest agent awaited, the result recorded, and everything the drill made removed.
    public func startDrill(vm: String, id: String) async throws -> TaskInfo {
        let main = try await resolveBackup(vm: vm, reference: id)
        let (info, _) = try await registry.reserve(vmName: main.vmName, vmUUID: main.vmUUID, kind: DrillJob.kind)
        do {
            let settings = self.settings
            let folder = settings.stateDirectory + "/drills/" + info.id
            try await executor.run {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let name = "vmbackup-drill-" + String(main.vmName.prefix(40)) + "-" + String(info.id.prefix(8))
            var plan: RestorePlan
            do {
                plan = try await planRestore(
                    of: main, vm: vm, request: RestoreRequest(to: folder, as: name, start: .running, instant: true),
                    mode: .domain, keepNetwork: false)
            } catch {
                _ = try? await executor.run { try FileManager.default.removeItem(atPath: folder) }
                throw error
            }
            plan.isDrill = true
            let jobLogger = logger.with(["vm.name": "\(main.vmName)", "job.id": "\(info.id)"])
            await runner.enqueue(
                JobRunner.Submission(
                    taskID: info.id, vmName: main.vmName, limits: [.host(settings.maxConcurrentJobs)],
                    job: DrillJob(
                        plan: plan, engine: self, timeout: settings.drillTimeout, logger: jobLogger, folder: folder),
                    logger: jobLogger))
            return await registry.info(info.id) ?? info
        } catch {
            await registry.abandon(info.id)
            throw error
        }
    }

    /// The drills of `vm`, newest first.
    public func drills(vm: String) async throws -> [DrillResult] {
        let uuid = try await vmUUID(vm)
        do {
            return try await catalog.drills(vmUUID: uuid)
        } catch {
            throw EngineError(catalog: error)
        }
    }
}
