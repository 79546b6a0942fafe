import APIModel
import Catalog

/// `GET /v1/vms`: the VMs this daemon knows of, from libvirt and from the catalog.
extension BackupEngine {
    /// Every VM with backups in the catalog, whether libvirt defines it here or not, and every
    /// domain libvirt defines here, with or without backups; by name, then UUID. A VM's name is
    /// libvirt's when it defines the VM, else the one in its newest backup.
    ///
    /// Throws `hypervisor_failed` when libvirt cannot list its domains: without them the list
    /// could not say which VMs are defined here.
    public func vms() async throws -> [VMSummary] {
        let withBackups: [CatalogVM]
        do {
            withBackups = try await catalog.vms()
        } catch {
            throw EngineError(catalog: error)
        }
        let defined: [(name: String, uuid: String)]
        do {
            defined = try await domains()
        } catch {
            let uri = settings.libvirtURI
            throw EngineError(
                .hypervisorFailed, "cannot list the domains of \(uri): \(error)", step: .catalog, cause: error)
        }
        let definedNames = Dictionary(
            defined.map { ($0.uuid.lowercased(), $0.name) }, uniquingKeysWith: { first, _ in first })
        let lastTasks = await lastBackupTasks()
        var summaries = withBackups.map { vm in
            VMSummary(
                vmName: definedNames[vm.vmUUID.lowercased()] ?? vm.vmName, vmUUID: vm.vmUUID,
                defined: definedNames[vm.vmUUID.lowercased()] != nil, backupCount: vm.backupCount,
                latestBackupID: vm.latest.id, latestBackupCreated: vm.latest.created, storedBytes: vm.storedBytes,
                lastBackupTask: lastTasks[vm.vmUUID.lowercased()])
        }
        let backedUp = Set(withBackups.map { $0.vmUUID.lowercased() })
        summaries += defined.filter { !backedUp.contains($0.uuid.lowercased()) }.map { domain in
            VMSummary(
                vmName: domain.name, vmUUID: domain.uuid, defined: true, backupCount: 0,
                lastBackupTask: lastTasks[domain.uuid.lowercased()])
        }
        return summaries.sorted { ($0.vmName, $0.vmUUID) < ($1.vmName, $1.vmUUID) }
    }
}
