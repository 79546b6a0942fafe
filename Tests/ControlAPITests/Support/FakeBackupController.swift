import APIModel
import ControlAPI
import Foundation

/// A controller that answers from fixed data and records what it was asked, so the tests see only
/// the HTTP layer.
///
/// VM `missing` does not exist, VM `busy` has a job running, VM `broken` fails with an error that
/// is not an `APIErrorInfo`; every other VM can be backed up. Every VM has one full backup
/// (``fullID``) with one incremental on top of it (``incrementalID``), which is also named by
/// `latest` and by its name `after upgrade`; the name `twin` is ambiguous, as the engine answers
/// for a name two backups have.
actor FakeBackupController: BackupController {
    struct Unexpected: Error {}

    static let created = Date(timeIntervalSince1970: 1_795_000_000)
    static let fullID = "20261122T013000Z-3f9a"
    static let incrementalID = "20261123T013000Z-77aa"

    private(set) var startedBackups: [(vm: String, request: BackupRequest)] = []
    private(set) var listings: [(vm: String, parent: String?)] = []
    private(set) var restores: [(vm: String, id: String, request: RestoreRequest)] = []
    private(set) var updates: [(vm: String, id: String, update: BackupUpdate)] = []
    private(set) var deletions: [(vm: String, id: String, children: ChildrenDeletion?)] = []
    private(set) var prunes: [(vm: String, request: PruneRequest)] = []
    private(set) var verifies: [(vm: String, id: String)] = []
    private var knownTasks: [String: TaskInfo] = [:]

    /// A VM defined here with backups, and one whose domain is gone.
    static let vms = [
        VMSummary(
            vmName: "db01", vmUUID: "0f3c7d2e-5b1a-4e8f-9c6d-7a2b1e0d4c3f", defined: false, backupCount: 1,
            latestBackupID: fullID, latestBackupCreated: created, storedBytes: 1 << 20),
        VMSummary(
            vmName: "web01", vmUUID: uuid, defined: true, backupCount: 2, latestBackupID: incrementalID,
            latestBackupCreated: created.addingTimeInterval(86_400), storedBytes: (1 << 20) + (1 << 16)),
    ]

    func vms() async throws -> [VMSummary] {
        Self.vms
    }

    func instantCopies() async throws -> [InstantCopySummary] { [] }

    func startDrill(vm: String, id: String) async throws -> TaskInfo {
        try Self.check(vm)
        return TaskInfo(id: "D1", kind: "drill", vm: vm, state: .queued, created: Self.created)
    }

    func drills(vm: String) async throws -> [DrillResult] {
        try Self.check(vm)
        return []
    }

    func keepInstantCopy(_ name: String) async throws -> InstantCopySummary {
        throw APIErrorInfo(.notFound, "no instant copy named \(name)")
    }

    func discardInstantCopy(_ name: String) async throws -> InstantCopySummary {
        throw APIErrorInfo(.notFound, "no instant copy named \(name)")
    }

    func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo {
        try Self.check(vm)
        startedBackups.append((vm, request))
        let task = TaskInfo(
            id: "T\(startedBackups.count)", kind: "backup", vm: vm, state: .queued, created: Self.created)
        knownTasks[task.id] = task
        return task
    }

    func startRestore(vm: String, id: String, request: RestoreRequest) async throws -> TaskInfo {
        try Self.check(vm)
        restores.append((vm, id, request))
        let task = TaskInfo(
            id: "R\(restores.count)", kind: "restore", vm: vm, state: .queued, created: Self.created)
        knownTasks[task.id] = task
        return task
    }

    func listBackups(vm: String, parent: String?) async throws -> [BackupSummary] {
        try Self.check(vm)
        listings.append((vm, parent))
        let all = [Self.backup(vm: vm), Self.incremental(vm: vm)]
        guard let parent else { return all }
        let parentID = try await backup(vm: vm, id: parent).id
        return all.filter { $0.parent == parentID }
    }

    func backup(vm: String, id: String) async throws -> BackupSummary {
        try Self.check(vm)
        let all = [Self.backup(vm: vm), Self.incremental(vm: vm)]
        if let backup = all.first(where: { $0.id == id }) { return backup }
        switch id {
        case "latest", "after upgrade": return Self.incremental(vm: vm)
        case "twin":
            throw APIErrorInfo(
                .backupAmbiguous,
                "the name \"twin\" is ambiguous: backups \(Self.fullID), \(Self.incrementalID) "
                    + "of VM \(vm) have it; name one by its id")
        default: throw APIErrorInfo(.backupNotFound, "\(vm) has no backup \(id)")
        }
    }

    /// Applies the update to the backup as ``backup(vm:id:)`` has it: an empty text clears.
    func updateBackup(vm: String, id: String, update: BackupUpdate) async throws -> BackupSummary {
        var backup = try await backup(vm: vm, id: id)
        updates.append((vm, id, update))
        if let name = update.name { backup.name = name.isEmpty ? nil : name }
        if let description = update.description { backup.description = description.isEmpty ? nil : description }
        if let protected = update.protected { backup.protected = protected }
        return backup
    }

    /// The full backup is merged into its incremental unless `children` says otherwise.
    func deleteBackup(vm: String, id: String, children: ChildrenDeletion?) async throws -> BackupDeletion {
        let backup = try await backup(vm: vm, id: id)
        deletions.append((vm, id, children))
        guard backup.id == Self.fullID else { return BackupDeletion(deleted: [backup.id]) }
        switch children {
        case nil, .merge:
            return BackupDeletion(deleted: [backup.id], merged: [Self.incrementalID])
        case .delete:
            return BackupDeletion(deleted: [Self.incrementalID, backup.id])
        case .only:
            return BackupDeletion(deleted: [Self.incrementalID])
        }
    }

    /// Queues a verify task of a known backup.
    func startVerify(vm: String, id: String) async throws -> TaskInfo {
        _ = try await backup(vm: vm, id: id)
        verifies.append((vm, id))
        let task = TaskInfo(
            id: "V\(verifies.count)", kind: "verify", vm: vm, vmUUID: Self.uuid, state: .queued, created: Self.created)
        knownTasks[task.id] = task
        return task
    }

    func prune(vm: String, request: PruneRequest) async throws -> PruneResult {
        try Self.check(vm)
        prunes.append((vm, request))
        return Self.pruneResult(vm: vm, dryRun: request.dryRun)
    }

    func task(id: String) async throws -> TaskInfo {
        guard let task = knownTasks[id] else { throw APIErrorInfo(.taskNotFound, "no task \(id)") }
        return task
    }

    func tasks() async -> [TaskInfo] {
        knownTasks.values.sorted { $0.id < $1.id }
    }

    func cancelTask(id: String) async throws -> TaskInfo {
        guard var task = knownTasks[id] else { throw APIErrorInfo(.taskNotFound, "no task \(id)") }
        task.state = .cancelled
        knownTasks[id] = task
        return task
    }

    func metrics() async -> String {
        "# TYPE vmbackup_backups_total counter\nvmbackup_backups_total{result=\"succeeded\"} 2\n"
    }

    func status() async -> DaemonStatus {
        DaemonStatus(
            version: "0.0.0-test", started: Self.created, libvirtURI: "qemu:///system",
            targetDirectory: "/srv/backups", runningTasks: 0, queuedTasks: knownTasks.count,
            active: await tasks(),
            schedule: [
                .init(
                    vmName: "web01", vmUUID: Self.uuid, policy: "nightly", schedule: "*-*-* 02:00:00",
                    nextRun: Self.created.addingTimeInterval(3600), lastRun: nil)
            ])
    }

    private static func check(_ vm: String) throws {
        switch vm {
        case "missing": throw APIErrorInfo(.vmNotFound, "no VM named 'missing' on this host")
        case "busy": throw APIErrorInfo(.vmBusy, "VM 'busy' already has a backup running (task T0)")
        case "broken": throw Unexpected()
        default: break
        }
    }

    static let uuid = "6f1c0c52-3d1e-4a8b-9a57-0f4a2f9e1a11"

    static func backup(vm: String) -> BackupSummary {
        BackupSummary(
            id: fullID, name: nil, vmName: vm, vmUUID: uuid, created: created, parent: nil, consistency: .filesystem,
            disks: [DiskSummary(target: "vda", method: .qcow2, virtualSize: 1 << 30, storedBytes: 1 << 20)],
            location: "/srv/backups/\(uuid)/\(fullID)")
    }

    static func incremental(vm: String) -> BackupSummary {
        BackupSummary(
            id: incrementalID, name: "after upgrade", vmName: vm, vmUUID: uuid,
            created: created.addingTimeInterval(86_400), parent: fullID, consistency: .crash,
            disks: [DiskSummary(target: "vda", method: .qcow2, virtualSize: 1 << 30, storedBytes: 1 << 16)],
            location: "/srv/backups/\(uuid)/\(incrementalID)", description: "kernel 6.12", protected: true)
    }

    static func pruneResult(vm: String, dryRun: Bool) -> PruneResult {
        PruneResult(
            vmName: vm, policy: "keep-last=1", dryRun: dryRun,
            entries: [
                .init(
                    id: incrementalID, name: "after upgrade", created: created.addingTimeInterval(86_400),
                    action: "keep", reasons: ["keep-last", "protected"]),
                .init(id: fullID, name: nil, created: created, action: "keep", reasons: ["needed by \(incrementalID)"]),
            ],
            removed: [])
    }
}
