import Blocking
import APIModel
import LVM
import Libvirt
import Logging
import Snapshots

/// Step 1 of a backup (DESIGN.md "One backup, step by step"): reads the domain, chooses its disks
/// and their methods, asks each method whether it can snapshot them now, and pings the guest
/// agent. Changes nothing.
struct BackupPlanner: Sendable {
    /// What planning found.
    struct Planned: Sendable {
        var plan: BackupPlan
        /// The domain's persistent definition, saved with the backup.
        var domainXML: String
        /// Whether the guest agent answered.
        var agentAvailable: Bool
    }

    let executor: BlockingExecutor
    let lvm: LVMCommandRunner
    let lvmPolicy: LVMSnapshotPolicy
    let defaultQuiesce: QuiescePolicy
    let agentTimeoutSeconds: Int32
    let logger: Logger

    func plan(domain: Domain, request: BackupRequest) async throws -> Planned {
        let agentTimeout = min(agentTimeoutSeconds, 5)
        let (persistentXML, running, disks, facts) = try await readDomain(domain)
        let plan = try BackupPlan.make(
            vmName: domain.name, vmUUID: domain.uuid, disks: disks, domainRunning: running, request: request,
            defaultQuiesce: defaultQuiesce, facts: facts)
        let environment = SnapshotEnvironment(
            domain: domain, vmName: domain.name, executor: executor, lvm: lvm, lvmPolicy: lvmPolicy, logger: logger)
        for (name, group) in Dictionary(grouping: plan.selected, by: \.method).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            do {
                try await SnapshotMethods.make(name, environment).check(group)
            } catch {
                // The method's error already names the VM, the disk and the volume group.
                throw EngineError(.preconditionFailed, "\(error)", step: .plan, vm: domain.name, cause: error)
            }
        }
        var agentAvailable = false
        if running && plan.quiesce != .off {
            agentAvailable =
                (try? await executor.run {
                    _ = try domain.agentCommand(#"{"execute":"guest-ping"}"#, timeoutSeconds: agentTimeout)
                }) != nil
            if !agentAvailable && plan.quiesce == .required {
                throw EngineError(
                    .agentUnavailable,
                    "VM \(domain.name): the guest agent does not answer and quiesce is required; nothing was changed",
                    step: .plan, vm: domain.name)
            }
        }
        return Planned(plan: plan, domainXML: persistentXML, agentAvailable: agentAvailable)
    }

    /// The domain's persistent XML, whether it runs, its disks and what the host knows of
    /// each disk's source; all blocking work, done on the executor's threads.
    private func readDomain(
        _ domain: Domain
    ) async throws -> (persistentXML: String, running: Bool, disks: [DomainDisk], facts: [String: DiskFacts]) {
        let (xml, persistentXML, running) = try await executor.run {
            let state = try domain.state()
            let xml = try domain.xmlDescription()
            let persistent = (try? domain.xmlDescription(inactive: true)) ?? xml
            return (xml, persistent, state != .shutOff && state != .crashed)
        }
        let disks: [DomainDisk]
        do {
            disks = try DomainXML.disks(fromDomainXML: xml)
        } catch {
            throw EngineError(
                .hypervisorFailed, "cannot read the disks of VM \(domain.name): \(error)", step: .plan,
                vm: domain.name, cause: error)
        }
        let facts = try await executor.run { DiskFacts.probe(disks) }
        return (persistentXML, running, disks, facts)
    }
}
