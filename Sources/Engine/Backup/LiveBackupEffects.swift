import APIModel
import Blocking
import Catalog
import Foundation
import LVM
import Libvirt
import Logging
import Snapshots
import Streaming
import Synchronization
import Targets

/// The real steps of one backup: libvirt, the snapshot methods, the streamer and the target.
actor LiveBackupEffects: BackupEffects {
    struct Context: Sendable {
        var plan: BackupPlan
        var domain: Domain
        var domainXML: String
        var backupID: BackupID
        var name: String?
        var executor: BlockingExecutor
        var target: any BackupTarget
        /// The name the config gives `target`, and its folder.
        var targetName: String
        var targetDirectory: String
        var streamer: Streamer
        var agentTimeoutSeconds: Int32
        /// How long the freeze may take before it is given up.
        var freezeTimeoutSeconds: Int32
        /// Takes over the thaw of a guest whose agent does not answer it.
        var thawWatch: ThawWatch
        /// What the job's snapshot methods are built with.
        var snapshots: SnapshotEnvironment
        var progress: ProgressCounter
        /// Where each change outside the daemon is recorded before it is made.
        var catalog: BackupCatalog
        /// The task id, which names the job's journal entry.
        var jobID: String
        var logger: Logger
        /// The level asked for, resolved: the parent, or why the backup is full.
        var chain: ChainChoice = .full
        /// Whether the VM's backups use chains (a level other than full asked, now or by its
        /// policy): the backup then makes a checkpoint, for the next one to read only changes.
        var tracksChanges = false
    }

    let context: Context
    private let methods: [SnapshotMethodName: any SnapshotMethod]
    private var writer: (any BackupWriter)?
    private(set) var taken: [TakenSnapshot] = []
    private var streamed: [String: StreamResult] = [:]
    private var stateFiles: [ManifestFile] = []
    /// The level and parent the backup is stored at: the context's, or a full when a parent's
    /// image turns out unusable before the first byte is written.
    var chain: ChainChoice
    /// Per disk stored on the parent's image: that image and its index.
    var parents: [String: ParentImage] = [:]
    /// The checkpoint this backup made, once made.
    var checkpoint: CheckpointName?
    private var freezeStarted: ContinuousClock.Instant?
    private var snapshotsTaken: ContinuousClock.Instant?
    private(set) var freezeWindow: Duration?
    /// Whether the agent left the freeze unanswered: a thaw then gets one short try before it is
    /// handed to the background thaw.
    private var agentStuck = false
    /// What the job could not undo (a failed thaw, a snapshot kept); empty when it left nothing.
    private(set) var leftBehind: [String] = []

    init(_ context: Context) {
        self.context = context
        self.chain = context.chain
        let names = Set(context.plan.selected.map(\.method))
        self.methods = Dictionary(
            uniqueKeysWithValues: names.map { ($0, SnapshotMethods.make($0, context.snapshots)) })
    }

    var vm: String { context.plan.vmName }

    private var guest: GuestFilesystems {
        GuestFilesystems(
            domain: context.domain, vmName: vm, executor: context.executor,
            agentTimeoutSeconds: context.agentTimeoutSeconds)
    }

    func prepareTarget() async throws {
        let disks = context.plan.selected.map(JournalDisk.init)
        try await journal(
            JournalEntry(
                jobID: context.jobID, vmUUID: context.plan.vmUUID, vmName: vm, backupID: context.backupID.description,
                target: context.targetName, targetDirectory: context.targetDirectory, disks: disks))
        let writer = try await context.target.begin(
            vmUUID: context.plan.vmUUID, backupID: context.backupID, job: context.jobID)
        self.writer = writer
        try await writer.writeDomainXML(context.domainXML)
    }

    func freeze() async throws {
        try await journal(.freezing, guestMayBeFrozen: true)
        freezeStarted = .now
        let limit = context.freezeTimeoutSeconds
        do {
            let count = try await guest.freeze(timeoutSeconds: limit)
            context.logger.info("froze guest filesystems", metadata: ["vm.name": "\(vm)", "fs.count": "\(count)"])
            CrashPoint.reach(.frozen, logger: context.logger)
        } catch {
            let unanswered =
                error is BlockingExecutorError || (error as? LibvirtError)?.isAgentUnavailable == true
            agentStuck = unanswered
            let code: APIErrorCode = EngineError.agentUnavailable(error) ? .agentUnavailable : .freezeFailed
            let what =
                unanswered
                ? "the guest agent did not answer the freeze within \(limit) s (freeze_timeout)" : "\(error)"
            throw EngineError(
                code, "freezing the filesystems of VM \(vm) failed: \(what)", step: .freeze, vm: vm, cause: error)
        }
    }

    func snapshot() async throws {
        try await journal(.snapshotting)
        // Before the snapshots: a write between the two is read again next time, never missed.
        await createCheckpoint()
        var done: [TakenSnapshot] = []
        let byMethod = Dictionary(grouping: context.plan.selected, by: \.method)
        do {
            for (name, disks) in byMethod.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let method = methods[name] else {
                    throw EngineError(
                        .snapshotFailed, "VM \(vm): the \(name.rawValue) method is not available", step: .snapshot,
                        vm: vm)
                }
                done += try await method.snapshot(disks, backupID: context.backupID.description)
            }
        } catch {
            // The guest is thawed next, and its snapshots released: through a new connection when
            // libvirtd went away meanwhile, so the wait for it comes first.
            if EngineError.connectionLost(error) {
                try? await context.domain.awaitReconnection(executor: context.executor, logger: context.logger)
            }
            // All or nothing: undo what the methods before the failing one took.
            for snapshot in done.reversed() {
                do {
                    try await methods[snapshot.disk.method]?.release(snapshot)
                } catch {
                    leftBehind.append("\(error)")
                }
            }
            throw error
        }
        taken = done
        snapshotsTaken = .now
        await journalIfPossible(.snapshotted)
        CrashPoint.reach(.snapshotted, logger: context.logger)
    }

    /// Thaws the guest and confirms it with the agent. A thaw the agent leaves unanswered is
    /// handed to the background thaw (recorded in the catalog first), and the job goes on: the
    /// guest is then listed as possibly frozen until its agent says otherwise.
    func thaw() async throws {
        var problem: (any Error)?
        do {
            switch try await guest.thawAndConfirm(attempts: agentStuck ? 1 : 3, logger: context.logger) {
            case .thawed(let count):
                context.logger.info(
                    "thawed guest filesystems; the agent reports them thawed",
                    metadata: ["vm.name": "\(vm)", "fs.count": "\(count)"])
            case .noAgent(let reason):
                context.logger.info("the guest has no agent; nothing to thaw", metadata: ["reason": "\(reason)"])
            }
        } catch {
            problem = error
        }
        if let started = freezeStarted {
            freezeWindow = ContinuousClock.now - started
            BackupMetrics.shared.recordFreeze(ContinuousClock.now - started)
        }
        if let problem {
            let thaw = PendingThaw(
                vmName: vm, vmUUID: context.plan.vmUUID, since: Date(),
                reason: "the thaw after backup \(context.backupID) went unanswered: \(problem)")
            do {
                try await context.thawWatch.takeOver(thaw)
            } catch {
                leftBehind.append("VM \(vm) may still be frozen: thaw failed: \(problem)")
                throw problem
            }
        }
        await journalIfPossible(.thawed, guestMayBeFrozen: false)
    }

    func stream() async throws {
        guard let writer else {
            throw EngineError(.internal, "stream before the target was prepared", step: .stream, vm: vm)
        }
        CrashPoint.reach(.streaming, logger: context.logger)
        await HoldPoint.wait(at: .streaming, logger: context.logger)
        var sizes: [UInt64] = []
        for snapshot in taken {
            sizes.append(try await Streamer.virtualSize(of: snapshot.source.path, format: snapshot.source.format))
        }
        context.progress.setTotal(sizes.reduce(0, +))
        try await findParentImages(sizes: sizes)
        let progress = context.progress
        // While streaming, a snapshot that goes bad (an LVM snapshot that overflows) stops the
        // stream at once.
        let watched = taken.compactMap { snapshot in
            methods[snapshot.disk.method].flatMap { type(of: $0).snapshotsCanSpoil ? (snapshot, $0) : nil }
        }
        let overflow = Overflow()
        let vm = self.vm
        let watcher =
            watched.isEmpty ? nil : Task.detached { await Self.watch(watched, vm: vm, reportingTo: overflow) }
        defer { watcher?.cancel() }
        do {
            try await streamEach(sizes: sizes, into: writer, progress: progress, stopIf: { overflow.problem != nil })
        } catch {
            if let problem = overflow.problem { throw problem }
            // A read that failed may be the spoiled snapshot itself (an overflowed LVM snapshot
            // turns unreadable before the watcher's next look): ask each one now, so the error
            // names the cause, not its symptom.
            for (snapshot, method) in watched {
                if let problem = try? await Self.problem(of: snapshot, by: method, vm: vm) { throw problem }
            }
            throw error
        }
        watcher?.cancel()
        // A snapshot that overflowed at the very end spoiled what was read from it.
        for (snapshot, method) in watched {
            if let problem = try await Self.problem(of: snapshot, by: method, vm: vm) { throw problem }
        }
    }

    private func streamEach(
        sizes: [UInt64], into writer: any BackupWriter, progress: ProgressCounter,
        stopIf stop: @escaping @Sendable () -> Bool
    ) async throws {
        var base: UInt64 = 0
        for (snapshot, size) in zip(taken, sizes) {
            let offset = base
            let streamer = context.streamer.logging(to: context.logger)
            let source = snapshot.source
            // The streamer makes the image at the path the writer names (for the directory
            // target, its final place) and reports the bytes of this disk covered so far.
            let parent = parents[snapshot.disk.target]
            let result = try await writer.writeImage(forDisk: snapshot.disk.target) { path in
                try await streamer.stream(
                    source, to: path, parent: parent, progress: { progress.setDone(offset + $0) }, isCancelled: stop)
            }
            if let index = result.index {
                try await writer.writeFile(
                    named: BackupFiles.indexFileName(forDisk: snapshot.disk.target), contents: index.encoded())
            }
            streamed[snapshot.disk.target] = result
            base += size
        }
        stateFiles = try await saveStateFiles(into: writer)
    }

    /// Merges or deletes every snapshot. A release that failed because the connection to
    /// libvirtd was lost is repeated once libvirtd is back: release is safe to repeat (a commit
    /// that still runs is adopted, a disk already back only needs its overlay removed).
    func release() async throws {
        CrashPoint.reach(.merging, logger: context.logger)
        await HoldPoint.wait(at: .merging, logger: context.logger)
        let retry = ConnectionLossRetry(domain: context.domain, executor: context.executor, logger: context.logger)
        var failures: [String] = []
        for snapshot in taken.reversed() {
            do {
                if let method = methods[snapshot.disk.method] {
                    try await retry.run("releasing the snapshot of disk \(snapshot.disk.target)") {
                        try await method.release(snapshot)
                    }
                }
            } catch {
                failures.append("\(error)")
            }
        }
        taken = []
        if let snapshotsTaken {
            BackupMetrics.shared.recordSnapshotLifetime(ContinuousClock.now - snapshotsTaken)
            self.snapshotsTaken = nil
        }
        if !failures.isEmpty {
            leftBehind += failures
            throw EngineError(.mergeFailed, failures.joined(separator: "; "), step: .merge, vm: vm)
        }
        await journalIfPossible(.released)
        CrashPoint.reach(.released, logger: context.logger)
    }

    func publish(consistency: Consistency) async throws -> BackupSummary {
        guard let writer else {
            throw EngineError(.internal, "publish before the target was prepared", step: .publish, vm: vm)
        }
        var disks: [ManifestDisk] = context.plan.selected.map { disk in
            let result = streamed[disk.target]
            return ManifestDisk(
                target: disk.target, method: disk.method, format: "qcow2", virtualSize: result?.virtualSize,
                storedBytes: result?.storedBytes, sha256: result?.sha256,
                index: result?.index.map { _ in BackupFiles.indexFileName(forDisk: disk.target) },
                chunkSize: result?.index?.chunkSize, digest: result?.index?.digest,
                file: ManifestDisk.imageFileName(forDisk: disk.target), backingFile: parents[disk.target]?.backingFile,
                source: disk.sourcePath)
        }
        disks += context.plan.excluded.map { ManifestDisk(target: $0.target, excluded: $0.excluded) }
        var manifest = Manifest(
            schemaVersion: Manifest.currentSchemaVersion, vmName: vm, vmUUID: context.plan.vmUUID,
            backupID: context.backupID.description, name: context.name, created: Date(), parent: chain.parent?.id,
            consistency: consistency, disks: disks, files: stateFiles, level: chain.level, fullReason: chain.fullReason)
        manifest.checkpoint = checkpoint?.rawValue
        var summary = try await writer.commit(manifest).summary()
        summary.target = context.targetName
        summary.chainDepth = chain.depth
        return summary
    }

    func discard() async {
        await writer?.abort()
        writer = nil
        await deleteCheckpoint()
    }
}
