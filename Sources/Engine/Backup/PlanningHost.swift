import APIModel
import Libvirt
import Snapshots

/// What the domain looked like when a backup was planned.
struct DomainInspection: Sendable {
    /// The live definition: the disks the domain runs on now.
    var liveXML: String
    /// The persistent definition, saved with the backup.
    var persistentXML: String
    var running: Bool
}

/// What planning reads from the host: the domain, what each disk's source is, whether each
/// method can snapshot its disks now, and whether the guest agent answers. The live one asks
/// libvirt and the filesystems; tests give a fake.
protocol PlanningHost: Sendable {
    func inspect() async throws -> DomainInspection
    func facts(of disks: [DomainDisk]) async throws -> [String: DiskFacts]
    /// Throws the method's own error when it cannot snapshot `disks` now.
    func check(_ method: SnapshotMethodName, disks: [SelectedDisk]) async throws
    func agentAnswers() async -> Bool
}

/// The real host: libvirt through the blocking executor, probes of the disks' sources, and the
/// snapshot methods' own checks.
struct LivePlanningHost: PlanningHost {
    let environment: SnapshotEnvironment
    let agentTimeoutSeconds: Int32

    func inspect() async throws -> DomainInspection {
        let domain = environment.domain
        return try await environment.executor.run {
            let state = try domain.state()
            let xml = try domain.xmlDescription()
            let persistent = (try? domain.xmlDescription(inactive: true)) ?? xml
            return DomainInspection(
                liveXML: xml, persistentXML: persistent, running: state != .shutOff && state != .crashed)
        }
    }

    func facts(of disks: [DomainDisk]) async throws -> [String: DiskFacts] {
        try await environment.executor.run { DiskFacts.probe(disks) }
    }

    func check(_ method: SnapshotMethodName, disks: [SelectedDisk]) async throws {
        try await SnapshotMethods.make(method, environment).check(disks)
    }

    func agentAnswers() async -> Bool {
        let domain = environment.domain
        let timeout = agentTimeoutSeconds
        return
            (try? await environment.executor.run {
                _ = try domain.agentCommand(#"{"execute":"guest-ping"}"#, timeoutSeconds: timeout)
            }) != nil
    }
}
