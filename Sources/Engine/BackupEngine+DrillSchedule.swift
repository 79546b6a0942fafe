import APIModel
import Foundation
import Scheduling

/// The drill schedule's source: the VMs whose policy has a `drill_schedule`; when it fires, the
/// VM's newest backup is drilled.
public struct DrillSchedule: PolicyScheduleSource {
    let engine: BackupEngine

    public init(engine: BackupEngine) { self.engine = engine }

    public var work: String { "drill" }

    public func scheduledVMs() async throws -> [ScheduledVM] {
        try await engine.scheduledVMs { $0.drillSchedule }
    }

    public func schedule(of policy: BackupPolicy) -> CalendarExpression? { policy.drillSchedule }

    public func lastRun(vmUUID: String) async -> Date? {
        try? await engine.catalog.drills(vmUUID: vmUUID).first?.at
    }

    /// Drills the VM's newest backup and waits for the drill; a VM without backups is passed
    /// over. Cancelling the calling task (the daemon stops) cancels the drill.
    public func run(_ vm: ScheduledVM) async {
        let task: TaskInfo
        do {
            task = try await engine.startDrill(vm: vm.uuid, id: "latest")
        } catch {
            engine.logger.warning(
                "scheduled drill could not start", metadata: ["vm.name": "\(vm.name)", "error": "\(error)"])
            return
        }
        let registry = engine.registry
        let finished = await withTaskCancellationHandler {
            await registry.finished(task.id)
        } onCancel: {
            Task { _ = await registry.cancel(task.id) }
        }
        engine.logger.info(
            "scheduled drill finished",
            metadata: [
                "vm.name": "\(vm.name)", "drill.ok": "\(finished?.drill?.ok ?? false)",
                "drill.problem": "\(finished?.drill?.problem ?? "")",
            ])
    }
}
