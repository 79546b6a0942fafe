import APIModel
import Blocking
import Catalog
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Targets

/// The daemon's exports (`vmbackup mount`): stored disks served read-only over NBD, each by a
/// `qemu-nbd` of its own on a Unix socket in ``socketFolder``, until it is stopped or the daemon
/// stops.
///
/// A service of the daemon's group: at graceful shutdown it stops every export (the API has
/// stopped taking requests by then). An export never survives the daemon: its qemu-nbd gets
/// SIGTERM when the daemon dies (see ``QemuNBDExportCommand``), and ``removeLeftovers()`` at start
/// stops what an earlier run left and removes stale sockets.
///
/// While an export uses a backup, the backup is neither deleted nor pruned
/// (``beginDeletion(of:vmName:)``); a backup being deleted is not mounted.
public final class ExportRegistry: Service, Sendable {
    /// The folder holding the export sockets: `nbd/` beside the API's socket. Nil when the
    /// daemon serves no exports (unit tests).
    public let socketFolder: String?
    private let access: SocketAccess
    let executor: BlockingExecutor
    let logger: Logger
    private let state = Mutex(State())

    private struct State: Sendable {
        var table = ExportTable()
        var running: [String: Running] = [:]
    }

    /// What runs for one export: the task that serves it, and its qemu-nbd once started.
    private struct Running: Sendable {
        var task: Task<Void, Never>
        var server: QemuNBDServer?
        var stopRequested = false
    }

    /// - Parameters:
    ///   - socketFolder: Where the sockets go; nil serves no exports.
    ///   - accessGroup: The group the sockets are given to, when it exists.
    public init(
        socketFolder: String?, accessGroup: String? = "vmbackup", executor: BlockingExecutor, logger: Logger
    ) {
        self.socketFolder = socketFolder
        self.access = SocketAccess(groupName: accessGroup)
        self.executor = executor
        self.logger = logger
    }

    /// Waits for the daemon's graceful shutdown, then stops every export.
    public func run() async throws {
        try? await gracefulShutdown()
        await stopAll()
    }

    // MARK: Starting and stopping

    /// Serves disk `disk` of `backup` (on `target`) read-only on a new socket; returns once
    /// qemu-nbd listens. Throws `already_exists` when that disk is served already, `backup_in_use`
    /// while the backup is being deleted, `target_failed` when qemu-nbd cannot serve the image.
    func start(backup: CatalogBackup, disk: ManifestDisk, target: any BackupTarget) async throws -> ExportSummary {
        guard let socketFolder else {
            throw EngineError(.internal, "this daemon has no folder for export sockets; it serves no exports")
        }
        let id = String(UUID().uuidString.lowercased().prefix(8))
        let socket = try ExportSocketPath.path(
            folder: socketFolder, vmUUID: backup.vmUUID, backupID: backup.id, disk: disk.target, exportID: id)
        let export = ExportSummary(
            id: id, vmName: backup.vmName, vmUUID: backup.vmUUID, backupID: backup.id, backupName: backup.name,
            disk: disk.target, virtualSize: disk.virtualSize, socket: socket, uri: ExportSummary.uri(socket: socket),
            started: Date())
        let format = disk.format ?? "qcow2"
        let ready = ReadySignal()
        try state.withLock { state throws(EngineError) in
            try state.table.reserve(export)
            // The task waits for this lock before it looks at its entry, so the entry is there.
            state.running[id] = Running(
                task: Task { await self.serve(export, format: format, target: target, ready: ready) })
        }
        try await ready.wait()
        return export
    }

    /// Stops export `id` and waits until its qemu-nbd has exited; returns it. Throws
    /// `export_not_found` when no export has that id.
    func stop(id: String) async throws -> ExportSummary {
        let (export, server, task) = try state.withLock { state throws(EngineError) in
            guard let export = state.table.export(id), var running = state.running[id] else {
                throw EngineError(
                    .exportNotFound,
                    "no export \(id.debugDescription): it was stopped, or vmbackupd restarted "
                        + "(vmbackup exports lists the exports)")
            }
            running.stopRequested = true
            state.running[id] = running
            return (export, running.server, running.task)
        }
        logger.info("stopping export", metadata: ["export.id": "\(id)"])
        await server?.stop()
        await task.value
        return export
    }

    /// Stops every export and refuses new ones: the daemon is stopping.
    func stopAll() async {
        while true {
            let runs = state.withLock { state in
                _ = state.table.close()
                for id in state.running.keys { state.running[id]?.stopRequested = true }
                return Array(state.running.values)
            }
            guard !runs.isEmpty else { return }
            logger.notice("stopping every export", metadata: ["exports": "\(runs.count)"])
            await withTaskGroup(of: Void.self) { group in
                for run in runs {
                    group.addTask {
                        await run.server?.stop()
                        await run.task.value
                    }
                }
            }
        }
    }

    /// Serves one export until its qemu-nbd exits, then removes its socket and forgets it.
    private func serve(_ export: ExportSummary, format: String, target: any BackupTarget, ready: ReadySignal) async {
        let logger = self.logger.with([
            "export.id": "\(export.id)", "vm.name": "\(export.vmName)", "backup.id": "\(export.backupID)",
            "disk.target": "\(export.disk)",
        ])
        var failure: EngineError?
        do {
            try await target.withImageFile(vmUUID: export.vmUUID, id: export.backupID, disk: export.disk) { image in
                try await self.run(export, image: image, format: format, ready: ready, logger: logger)
            }
        } catch {
            failure =
                error as? EngineError
                ?? EngineError(
                    .targetFailed,
                    "cannot serve disk \(export.disk) of backup \(export.backupID) of VM \(export.vmName): \(error)",
                    vm: export.vmName, disk: export.disk, cause: error)
        }
        // Gone before the mount hears of a failure: a failed start leaves no file and no entry.
        Self.removeFiles(of: export)
        state.withLock { state in
            state.table.remove(export.id)
            state.running[export.id] = nil
        }
        let startFailure =
            failure
            ?? EngineError(
                .targetFailed, "qemu-nbd ended before it served disk \(export.disk) of backup \(export.backupID)",
                vm: export.vmName, disk: export.disk)
        if ready.fail(startFailure) {
            logger.info("export did not start", metadata: ["error": "\(startFailure)"])
        } else {
            if let failure { logger.error("export failed", metadata: ["error": "\(failure)"]) }
            logger.notice("export stopped")
        }
    }

    /// Starts qemu-nbd on the local image file and waits until it exits.
    private func run(
        _ export: ExportSummary, image: String, format: String, ready: ReadySignal, logger: Logger
    ) async throws {
        Self.removeFiles(of: export)
        let pidFile = QemuNBDExportCommand.pidFile(forSocket: export.socket)
        let server: QemuNBDServer
        do {
            server = try await QemuNBDServer.start(
                QemuNBDExportCommand.arguments(
                    image: image, format: format, socket: export.socket, pidFile: pidFile,
                    description: "vmbackup: VM \(export.vmName), backup \(export.backupID), disk \(export.disk)"),
                socket: export.socket, pidFile: pidFile, executor: executor)
        } catch {
            throw EngineError(
                .targetFailed,
                "cannot serve disk \(export.disk) of backup \(export.backupID) of VM \(export.vmName): \(error)",
                vm: export.vmName, disk: export.disk, cause: error)
        }
        do {
            try access.restrict(export.socket)
        } catch {
            logger.info("cannot restrict the export socket's permissions", metadata: ["error": "\(error)"])
        }
        let stopNow = state.withLock { state in
            state.running[export.id]?.server = server
            state.table.activate(export.id)
            return state.running[export.id]?.stopRequested ?? true
        }
        ready.succeed()
        logger.notice(
            "export started",
            metadata: ["socket": "\(export.socket)", "image": "\(image)", "pid": "\(server.processID)"])
        if stopNow { await server.stop() }
        let status = await server.waitForExit()
        let requested = state.withLock { $0.running[export.id]?.stopRequested ?? true }
        if !requested {
            logger.warning("qemu-nbd stopped by itself", metadata: ["exit": "\(server.describeExit(status))"])
        }
    }

    // MARK: What exports protect

    /// Every served export, oldest first.
    func exports() -> [ExportSummary] {
        state.withLock { $0.table.serving }
    }

    /// The served export `id`; `export_not_found` when there is none.
    func export(id: String) throws(EngineError) -> ExportSummary {
        guard let export = state.withLock({ $0.table.export(id) }) else {
            throw EngineError(
                .exportNotFound,
                "no export \(id.debugDescription): it was stopped, or vmbackupd restarted "
                    + "(vmbackup exports lists the exports)")
        }
        return export
    }

    /// The backups of `vmUUID` that exports use, by id, each with the ids of its exports.
    func backupsInUse(vmUUID: String) -> [String: [String]] {
        state.withLock { $0.table.backupsInUse(vmUUID: vmUUID).mapValues { $0.map(\.id) } }
    }

    /// Holds the backups as being deleted, or throws `backup_in_use` naming the exports that use
    /// one of them; release them with ``endDeletion(of:)``.
    func beginDeletion(of backups: [ExportTable.BackupKey], vmName: String) throws(EngineError) {
        try state.withLock { state throws(EngineError) in try state.table.beginDeletion(of: backups, vmName: vmName) }
    }

    func endDeletion(of backups: [ExportTable.BackupKey]) {
        state.withLock { $0.table.endDeletion(of: backups) }
    }

    /// Removes the socket and the pid file of an export that does not run.
    private static func removeFiles(of export: ExportSummary) {
        if QemuNBDServer.isSocket(export.socket) { unlink(export.socket) }
        let pidFile = QemuNBDExportCommand.pidFile(forSocket: export.socket)
        if QemuNBDServer.isRegularFile(pidFile) { unlink(pidFile) }
    }
}
