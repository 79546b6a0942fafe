import APIModel
import Catalog
import Foundation
import Libvirt
import Logging
import Streaming
import Targets

extension BackupEngine {
    /// Plans a restore of backup `id` of `vm` and hands its job to the runner; returns the queued
    /// task. Everything the request gets wrong is refused here, before anything is written: an
    /// unknown backup or disk (`backup_not_found`), a file or domain that exists
    /// (`already_exists`), a running domain for a restore in place without `force`
    /// (`vm_running`), a folder that cannot be written (`bad_request`).
    public func startRestore(vm: String, id: String, request: RestoreRequest) async throws -> TaskInfo {
        let mode = try RestorePlanner.mode(of: request)
        let main = try await resolveBackup(vm: vm, reference: id)
        let (info, _) = try await registry.reserve(vmName: main.vmName, vmUUID: main.vmUUID, kind: RestoreJob.kind)
        do {
            let plan = try await planRestore(of: main, vm: vm, request: request, mode: mode)
            let jobLogger = logger.with(["vm.name": "\(main.vmName)", "job.id": "\(info.id)"])
            await runner.enqueue(
                JobRunner.Submission(
                    taskID: info.id, vmName: main.vmName, limits: [.host(settings.maxConcurrentJobs)],
                    job: RestoreJob(plan: plan, engine: self, logger: jobLogger), logger: jobLogger))
            return await registry.info(info.id) ?? info
        } catch {
            await registry.abandon(info.id)
            throw error
        }
    }

    /// The plan of a restore of `main` as `request` says; `keepNetwork: false` gives a new
    /// domain no network interfaces (a drill's).
    func planRestore(
        of main: CatalogBackup, vm: String, request: RestoreRequest, mode: RestoreSummary.Mode,
        keepNetwork: Bool = true
    ) async throws -> RestorePlan {
        var planner = RestorePlanner(main: main, request: request, mode: mode)
        for choice in try planner.choices() {
            var backup = main
            if let other = choice.backup { backup = try await resolveBackup(vm: vm, reference: other) }
            try planner.add(choice.target, from: backup)
        }
        switch mode {
        case .files:
            try await planner.placeInFolder(checking: executor)
        case .domain:
            if request.instant == true {
                for (index, disk) in planner.plannedDisks.enumerated() {
                    let target = try target(named: disk.targetName)
                    guard
                        let path = try await target.localImagePath(
                            vmUUID: disk.vmUUID, id: disk.backupID, disk: disk.target)
                    else {
                        throw EngineError(
                            .badRequest,
                            "target \(disk.targetName) keeps no image as a local file QEMU could boot from; "
                                + "restore without --instant", step: .plan)
                    }
                    planner.setBackingFile(path, forDiskAt: index)
                }
            }
            let name = request.as ?? ""
            try await checkDomainNameIsFree(name)
            let xml = try await target(named: main.target).readFile(
                vmUUID: main.vmUUID, id: main.id, named: BackupFiles.domainXML)
            try await planner.placeInNewDomain(
                named: name, storedXML: String(decoding: xml, as: UTF8.self), keepNetwork: keepNetwork,
                checking: executor)
        case .inPlace:
            let domain = try await lookup(vm)
            let (xml, active) = try await executor.run {
                (try domain.xmlDescription(inactive: true), try domain.state().isActive)
            }
            if active, request.force != true {
                throw EngineError(
                    .vmRunning,
                    "VM \(main.vmName) is running: a restore in place needs it shut off; shut it down, "
                        + "or pass --force to have it shut down first",
                    step: .plan, vm: main.vmName)
            }
            try await planner.placeOverDomain(xml: xml)
        }
        return planner.plan
    }

    /// Throws `already_exists` when libvirt has a domain named `name`.
    private func checkDomainNameIsFree(_ name: String) async throws {
        do {
            let existing = try await lookup(name)
            throw EngineError(
                .alreadyExists, "a VM named \(name) exists already (UUID \(existing.uuid)); choose another name",
                step: .plan)
        } catch let error as EngineError where error.code == .vmNotFound {
            return
        }
    }
}
