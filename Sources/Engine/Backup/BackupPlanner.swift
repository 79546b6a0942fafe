import APIModel
import Foundation
import Libvirt
import Snapshots

/// Step 1 of a backup (DESIGN.md "One backup, step by step"): reads the domain, chooses its disks
/// and their methods, asks each method whether it can snapshot them now, and pings the guest
/// agent when the policy wants a freeze. Changes nothing.
struct BackupPlanner: Sendable {
    /// What planning found.
    struct Planned: Sendable {
        var plan: BackupPlan
        /// The domain's persistent definition, saved with the backup.
        var domainXML: String
        /// Whether the guest agent answered.
        var agentAvailable: Bool
    }

    let host: any PlanningHost
    let defaultQuiesce: QuiescePolicy
    /// Set when the VM may still be frozen (its agent left a freeze or thaw unanswered): no
    /// freeze is tried until the background thaw is done with it.
    var pendingThaw: PendingThaw? = nil

    /// Plans a backup of the VM; throws `bad_request` or `nothing_to_back_up` for a request
    /// the domain cannot meet, `precondition_failed` when a method cannot snapshot its disks now,
    /// `agent_unavailable` when quiesce is required and the agent is silent, `hypervisor_failed`
    /// when the domain cannot be read.
    func plan(vmName: String, vmUUID: String, request: BackupRequest) async throws -> Planned {
        let inspection: DomainInspection
        let disks: [DomainDisk]
        do {
            inspection = try await host.inspect()
            disks = try DomainXML.disks(fromDomainXML: inspection.liveXML)
        } catch {
            throw EngineError(
                .hypervisorFailed, "cannot read the disks of VM \(vmName): \(error)", step: .plan, vm: vmName,
                cause: error)
        }
        let facts = try await host.facts(of: disks)
        let plan = try BackupPlan.make(
            vmName: vmName, vmUUID: vmUUID, disks: disks, domainRunning: inspection.running, request: request,
            defaultQuiesce: defaultQuiesce, facts: facts)
        let byMethod = Dictionary(grouping: plan.selected, by: \.method)
        for (method, group) in byMethod.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            do {
                try await host.check(method, disks: group)
            } catch {
                // The method's error already names the VM, the disk and the volume group.
                throw EngineError(.preconditionFailed, "\(error)", step: .plan, vm: vmName, cause: error)
            }
        }
        var agentAvailable = false
        if inspection.running && plan.quiesce != .off, let pendingThaw {
            guard plan.quiesce != .required else {
                throw EngineError(
                    .agentUnavailable,
                    "VM \(vmName) may still be frozen (since \(pendingThaw.since.formatted(.iso8601)): "
                        + "\(pendingThaw.reason)); vmbackupd keeps trying to thaw it and tries no freeze meanwhile, "
                        + "so quiesce cannot be required now. Back it up with --quiesce off now, or restart the guest "
                        + "(virsh reboot, or virsh destroy and start) if its agent stays stuck; nothing was changed",
                    step: .plan, vm: vmName)
            }
        } else if inspection.running && plan.quiesce != .off {
            agentAvailable = await host.agentAnswers()
            if !agentAvailable && plan.quiesce == .required {
                throw EngineError(
                    .agentUnavailable,
                    "VM \(vmName): the guest agent does not answer and quiesce is required; nothing was changed",
                    step: .plan, vm: vmName)
            }
        }
        return Planned(plan: plan, domainXML: inspection.persistentXML, agentAvailable: agentAvailable)
    }
}
