import APIModel
import ControlAPI
import Foundation

/// A controller that answers from fixed data, so the tests see only the HTTP layer.
///
/// VM `missing` does not exist, VM `busy` has a job running, VM `broken` fails with an error that
/// is not an `APIErrorInfo`; every other VM can be backed up.
actor FakeBackupController: BackupController {
    struct Unexpected: Error {}

    static let created = Date(timeIntervalSince1970: 1_795_000_000)

    private(set) var startedBackups: [(vm: String, request: BackupRequest)] = []
    private var knownTasks: [String: TaskInfo] = [:]

    func startBackup(vm: String, request: BackupRequest) async throws -> TaskInfo {
        switch vm {
        case "missing": throw APIErrorInfo(.vmNotFound, "no VM named 'missing' on this host")
        case "busy": throw APIErrorInfo(.vmBusy, "VM 'busy' already has a backup running (task T0)")
        case "broken": throw Unexpected()
        default: break
        }
        startedBackups.append((vm, request))
        let task = TaskInfo(
            id: "T\(startedBackups.count)", kind: "backup", vm: vm, state: .queued, created: Self.created)
        knownTasks[task.id] = task
        return task
    }

    func listBackups(vm: String) async throws -> [BackupSummary] {
        guard vm != "missing" else { throw APIErrorInfo(.vmNotFound, "no VM named 'missing' on this host") }
        return [Self.backup(vm: vm)]
    }

    func backup(vm: String, id: String) async throws -> BackupSummary {
        guard id == Self.backup(vm: vm).id else { throw APIErrorInfo(.notFound, "\(vm) has no backup \(id)") }
        return Self.backup(vm: vm)
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

    func status() async -> DaemonStatus {
        DaemonStatus(
            version: "0.0.0-test", started: Self.created, libvirtURI: "qemu:///system",
            targetDirectory: "/srv/backups", runningTasks: 0, queuedTasks: knownTasks.count)
    }

    static func backup(vm: String) -> BackupSummary {
        BackupSummary(
            id: "20261122T013000Z-3f9a", name: nil, vmName: vm, vmUUID: "6f1c0c52-3d1e-4a8b-9a57-0f4a2f9e1a11",
            created: created, parent: nil, consistency: .filesystem,
            disks: [DiskSummary(target: "vda", method: .qcow2, virtualSize: 1 << 30, storedBytes: 1 << 20)],
            location: "/srv/backups/6f1c0c52-3d1e-4a8b-9a57-0f4a2f9e1a11/20261122T013000Z-3f9a")
    }
}
