import APIModel
import Libvirt
import Logging
import Snapshots

extension BackupEngine {
    /// Looks up a domain by name or UUID on a fresh connection.
    func lookup(_ vm: String) async throws -> Domain {
        guard !vm.isEmpty, vm.count <= 256, !vm.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw EngineError(.badRequest, "not a VM name or UUID: \(vm.debugDescription)", step: .plan)
        }
        let uri = settings.libvirtURI
        do {
            return try await executor.run {
                let connection = try LibvirtConnection(uri: uri)
                return try connection.lookupDomain(vm)
            }
        } catch let error as LibvirtError where error.isNoDomain {
            throw EngineError(.vmNotFound, "no VM named \(vm) on \(uri)", step: .plan, vm: vm, cause: error)
        } catch let error as LibvirtError {
            throw EngineError(
                .hypervisorFailed, "cannot look up VM \(vm) on \(uri): \(error)", step: .plan, vm: vm, cause: error)
        }
    }

    /// The UUID of `vm`: looked up in libvirt, or in the catalog for a VM that libvirt no longer
    /// has (by its UUID, or by the name its backups were made under).
    func vmUUID(_ vm: String) async throws -> String {
        do {
            return try await lookup(vm).uuid
        } catch let error as EngineError where error.code == .vmNotFound {
            let known = (try? await catalog.vmUUIDs()) ?? []
            let lowered = vm.lowercased()
            if known.contains(lowered) { return lowered }
            if let uuid = try? await catalog.vmUUID(named: vm) { return uuid }
            throw error
        }
    }

    /// What the snapshot methods need to work on `domain`: the daemon's executor, lvm runner and
    /// snapshot policy; planning, jobs and recovery all build their methods from it.
    func snapshotEnvironment(for domain: Domain, vmName: String, logger: Logger) -> SnapshotEnvironment {
        SnapshotEnvironment(
            domain: domain, vmName: vmName, executor: executor, lvm: lvm, lvmPolicy: settings.lvmSnapshotPolicy,
            logger: logger)
    }

    /// The name and UUID of every domain libvirt knows.
    func domains() async throws -> [(name: String, uuid: String)] {
        let uri = settings.libvirtURI
        return try await executor.run {
            let connection = try LibvirtConnection(uri: uri)
            return try connection.listDomainNames().compactMap { name in
                guard let domain = try? connection.lookupDomain(name) else { return nil }
                return (name: domain.name, uuid: domain.uuid)
            }
        }
    }
}
