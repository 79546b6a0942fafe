import APIModel
import Catalog
import Foundation
import Libvirt
import Logging
import Streaming
import Targets

/// The steps of one restore, in order, and the undoing of what a failed one made.
actor RestoreEffects {
    let plan: RestorePlan
    let engine: BackupEngine
    let context: JobContext
    let logger: Logger
    /// The step running, for errors.
    private(set) var step: JobStep = .restore
    private var entry: RestoreJournalEntry?
    private var createdFiles: [String] = []
    private var definedDomainUUID: String?
    /// The instant copy recorded, until the restore succeeded.
    private var instantCopyUUID: String?
    /// Whether a disk of the domain itself was (maybe partly) written.
    private var wroteInPlace = false

    init(plan: RestorePlan, engine: BackupEngine, context: JobContext, logger: Logger) {
        self.plan = plan
        self.engine = engine
        self.context = context
        self.logger = logger
    }

    func run() async throws -> RestoreSummary {
        if plan.mode == .inPlace { try await makeSureShutOff() }
        try await journal()
        context.progress.setTotal(plan.totalBytes)
        var restored: [RestoredDisk] = []
        var base: UInt64 = 0
        for disk in plan.disks {
            try Task.checkCancellation()
            restored.append(try await write(disk, progressBase: base))
            CrashPoint.reach(.restoring, logger: logger)
            base += disk.stored.virtualSize ?? 0
        }
        var files: [String] = []
        for file in plan.stateFiles {
            try Task.checkCancellation()
            try await write(file)
            files.append(file.path)
        }
        var domainName = plan.mode == .inPlace ? plan.vmName : nil
        var domainUUID = plan.mode == .inPlace ? plan.vmUUID : nil
        if let definition = plan.newDomain {
            try Task.checkCancellation()
            domainUUID = try await define(definition)
            domainName = plan.newDomainName
        }
        if let start = plan.start, let domainUUID {
            try await self.start(domainUUID, paused: start == .paused)
        }
        if plan.instant, !plan.isDrill { try await readBackStoredImages() }
        try await engine.catalog.closeRestoreJournal(jobID: context.taskID)
        instantCopyUUID = nil
        if plan.mode == .inPlace {
            await engine.closeHalfWrittenRestores(
                vmUUID: plan.vmUUID, restoredDisks: Set(plan.disks.map(\.target)), except: context.taskID)
        }
        logger.info(
            "restore succeeded",
            metadata: ["restore.mode": "\(plan.mode.rawValue)", "restore.domain": "\(domainName ?? "-")"])
        return RestoreSummary(
            mode: plan.mode, domain: domainName, domainUUID: domainUUID, started: plan.start, disks: restored,
            files: files)
    }

    /// After a failure or a cancel: removes what the job made new; a disk written in place stays
    /// recorded as half-written.
    func undo(after error: any Error, cancelled: Bool) async {
        let catalog = engine.catalog
        if let definedDomainUUID { try? await engine.removeDomain(uuid: definedDomainUUID) }
        await engine.removeFiles(createdFiles.reversed())
        if let instantCopyUUID {
            await Task.detached { try? await catalog.removeInstantCopy(domainUUID: instantCopyUUID) }.value
        }
        guard var entry else { return }
        let wroteInPlace = self.wroteInPlace
        let plan = self.plan
        await Task.detached {
            if wroteInPlace {
                entry.problem =
                    "the restore of backup \(plan.backupID) over VM \(plan.vmName)'s own disks "
                    + "(\(entry.disks.map(\.target).joined(separator: ", "))) stopped before it finished "
                    + "(\(cancelled ? "cancelled" : "\(error)")): the disks may be half-written, and the VM was "
                    + "not started; restore it again"
                try? await catalog.journalRestore(entry)
            } else {
                try? await catalog.closeRestoreJournal(jobID: entry.jobID)
            }
        }.value
        if wroteInPlace {
            logger.error(
                "a restore in place stopped before it finished; the VM's disks may be half-written",
                metadata: ["vm.name": "\(plan.vmName)"])
        }
    }

    /// Shuts the domain down when the plan says so, and makes sure it is shut off right before
    /// its disks are written (it may have been started since the plan was made).
    private func makeSureShutOff() async throws {
        step = .shutdown
        let domain = try await engine.lookup(plan.vmUUID)
        if plan.shutDownFirst {
            await context.enter("shutting down")
            let outcome = try await GuestShutdown(domain: domain, vmName: plan.vmName, executor: engine.executor).run()
            let how =
                switch outcome {
                case .alreadyShutOff: "already shut off"
                case .shutDown(let mode): "\(mode)"
                }
            logger.info("domain shut off for a restore in place", metadata: ["shutdown": "\(how)"])
        }
        let state = try await engine.executor.run { try domain.state() }
        guard !state.isActive else {
            throw EngineError(
                .vmRunning,
                "VM \(plan.vmName) runs; a restore in place needs it shut off (shut it down, or use --force)",
                step: .shutdown, vm: plan.vmName)
        }
    }

    private func journal() async throws {
        step = .restore
        let entry = RestoreJournalEntry(
            jobID: context.taskID, vmUUID: plan.vmUUID, vmName: plan.vmName, backupID: plan.backupID,
            mode: plan.mode,
            disks: plan.disks.map {
                .init(target: $0.target, path: $0.destination.path, created: $0.destination.isNew)
            },
            files: plan.mode == .inPlace ? [] : plan.stateFiles.map(\.removes))
        try await engine.catalog.journalRestore(entry)
        self.entry = entry
        if plan.mode == .inPlace {
            // The disks change behind the backups' back: the next backup starts a new chain.
            try await engine.catalog.recordChainBreak(
                vmUUID: plan.vmUUID, reason: "the VM was restored in place from backup \(plan.backupID)")
        }
    }

    /// Copies one disk from its stored image and checks what was read against the backup.
    private func write(_ disk: RestorePlan.Disk, progressBase: UInt64) async throws -> RestoredDisk {
        step = .restore
        await context.enter("restoring \(disk.target)")
        let target = try engine.target(named: disk.targetName)
        let streamer = engine.streamer.logging(to: logger)
        let progress = context.progress
        let destination = disk.destination
        if destination.isNew {
            createdFiles.append(destination.path)
        } else {
            wroteInPlace = true
        }
        if let backingFile = disk.backingFile {
            try await Streamer.createOverlay(at: destination.path, backingFile: backingFile)
            return RestoredDisk(
                target: disk.target, backupID: disk.backupID, path: destination.path, format: "qcow2",
                virtualSize: disk.stored.virtualSize ?? 0, writtenBytes: 0, checkedDigest: nil,
                backingFile: backingFile)
        }
        let result = try await target.withImageFile(vmUUID: disk.vmUUID, id: disk.backupID, disk: disk.target) {
            image in
            try await streamer.copy(
                disk: disk.target, image: image, format: disk.stored.format ?? "qcow2", to: destination,
                hashing: disk.hashing, progress: { progress.setDone(progressBase + $0) })
        }
        let checked = try await RestoreCheck.check(result, against: disk, on: target)
        logger.info(
            "restored disk",
            metadata: [
                "disk.target": "\(disk.target)", "restore.path": "\(destination.path)",
                "restore.checked": "\(checked)",
            ])
        return RestoredDisk(
            target: disk.target, backupID: disk.backupID, path: destination.path, format: destination.format,
            virtualSize: result.virtualSize, writtenBytes: result.storedBytes, checkedDigest: checked)
    }

    /// Writes a state file (the NVRAM, the TPM state) from the backup, checked against its digest:
    /// a new file exclusively, or the domain's own replaced atomically. A TPM state's folders are
    /// made as libvirt makes them (its domain's folder 0711, the version's 0700) when missing.
    private func write(_ file: RestorePlan.StateFile) async throws {
        step = .restore
        await context.enter("restoring \(file.file.role.rawValue)")
        let target = try engine.target(named: file.targetName)
        let bytes = try await target.readFile(vmUUID: file.vmUUID, id: file.backupID, named: file.file.file)
        guard ChunkDigest(hashing: bytes).hex == file.file.sha256 else {
            throw EngineError(
                .restoreFailed,
                "the \(file.file.role.rawValue) file of backup \(file.backupID) does not match its SHA-256 "
                    + "in the manifest: the backup is damaged",
                step: .restore, vm: plan.vmName)
        }
        let isNew = plan.mode != .inPlace
        if isNew { createdFiles.append(file.removes) }
        try await engine.executor.run {
            if file.file.role == .tpmState {
                let folder = (file.path as NSString).deletingLastPathComponent
                try Self.makeFolders(folder, modes: [0o711, 0o700])
            }
            if isNew {
                try DurableFiles.writeNew(bytes, to: file.path)
            } else {
                try DurableFiles.writeReplacing(bytes, at: file.path)
            }
        }
    }

    /// An instant copy runs on the stored images themselves, never copied and so never checked
    /// while copied: each backup it reads is read back whole against its chunk indexes before the
    /// task succeeds (the copy runs meanwhile). A damaged one fails the task, and the undo removes
    /// the copy: nothing keeps running on data known to be bad.
    private func readBackStoredImages() async throws {
        step = .verify
        var seen: Set<String> = []
        for disk in plan.disks where seen.insert(disk.backupID).inserted {
            let problem = try await engine.readBack(
                vmUUID: disk.vmUUID, id: disk.backupID, context: context, logger: logger)
            if let problem {
                throw EngineError(
                    .verifyFailed,
                    "backup \(disk.backupID) of VM \(plan.vmName) failed its read-back: \(problem); the instant copy "
                        + "is removed", step: .verify, vm: plan.vmName, disk: problem.disk)
            }
        }
    }

    /// Makes `folder` and its parent when missing, with the modes given from the parent down.
    private static func makeFolders(_ folder: String, modes: [mode_t]) throws {
        let parent = (folder as NSString).deletingLastPathComponent
        for (path, mode) in zip([parent, folder], modes) where mkdir(path, mode) != 0 && errno != EEXIST {
            throw EngineError(
                .restoreFailed, "cannot make \(path): \(String(cString: strerror(errno)))", step: .restore)
        }
    }

    private func define(_ definition: DomainCopy.Definition) async throws -> String {
        step = .define
        await context.enter("defining \(plan.newDomainName ?? "")")
        // Recorded before the domain exists: a crash in between leaves nothing unrecorded.
        entry?.definedDomainUUID = definition.uuid
        if let entry { try await engine.catalog.journalRestore(entry) }
        if plan.instant {
            let overlays = plan.disks.map {
                InstantCopy.Overlay(
                    target: $0.target, path: $0.destination.path, backupID: $0.backupID,
                    backingFile: $0.backingFile ?? "")
            }
            try await engine.catalog.saveInstantCopy(
                InstantCopy(
                    domainUUID: definition.uuid, domainName: plan.newDomainName ?? "", vmUUID: plan.vmUUID,
                    vmName: plan.vmName, overlays: overlays, files: plan.stateFiles.map(\.removes),
                    isDrill: plan.isDrill))
            instantCopyUUID = definition.uuid
        }
        let uri = engine.settings.libvirtURI
        let uuid = try await engine.executor.run {
            let connection = try LibvirtConnection(uri: uri)
            return try connection.defineDomain(xml: definition.xml).uuid
        }
        definedDomainUUID = uuid
        for note in definition.notes {
            logger.info("restored domain changed", metadata: ["change": "\(note)"])
        }
        return uuid
    }

    private func start(_ uuid: String, paused: Bool) async throws {
        step = .define
        await context.enter(paused ? "starting paused" : "starting")
        let uri = engine.settings.libvirtURI
        try await engine.executor.run {
            let connection = try LibvirtConnection(uri: uri)
            try connection.lookupDomain(uuid).start(paused: paused)
        }
    }
}
