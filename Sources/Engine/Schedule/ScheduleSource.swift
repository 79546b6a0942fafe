import APIModel
import Foundation
import Scheduling

/// A VM the schedule covers: its policy names a `schedule`.
public struct ScheduledVM: Sendable, Equatable {
    public var uuid: String
    public var name: String
    public var policy: BackupPolicy

    public init(uuid: String, name: String, policy: BackupPolicy) {
        self.uuid = uuid
        self.name = name
        self.policy = policy
    }

    /// The target the policy's backups go to.
    public var target: String { policy.target ?? TargetSettings.defaultName }
}

/// What the scheduler needs of the rest of the daemon: which VMs are scheduled, when each was
/// last backed up, and a way to start a backup. ``BackupEngine`` is the real one; tests give a
/// fake.
public protocol ScheduleSource: Sendable {
    /// The VMs libvirt knows whose rule names a policy with a schedule.
    func scheduledVMs() async throws -> [ScheduledVM]
    /// When the newest backup of the VM on `target` was made.
    func lastBackup(vmUUID: String, target: String) async -> Date?
    /// Starts a backup of the VM; throws `vm_busy` when one is running.
    func startScheduledBackup(vmUUID: String) async throws -> TaskInfo
    /// Each VM's last finished backup task, by lowercased VM UUID.
    func lastBackupTasks() async -> [String: TaskResult]
}

extension ScheduleSource {
    public func lastBackupTasks() async -> [String: TaskResult] { [:] }
}

extension BackupEngine: ScheduleSource {
    public func scheduledVMs() async throws -> [ScheduledVM] {
        let settings = self.settings
        return try await domains().compactMap { domain in
            guard let policy = settings.policy(forVM: domain.name, uuid: domain.uuid), policy.schedule != nil else {
                return nil
            }
            return ScheduledVM(uuid: domain.uuid, name: domain.name, policy: policy)
        }
    }

    public func lastBackup(vmUUID: String, target: String) async -> Date? {
        try? await catalog.lastBackup(vmUUID: vmUUID, target: target)?.created
    }

    public func startScheduledBackup(vmUUID: String) async throws -> TaskInfo {
        try await startBackup(vm: vmUUID, request: BackupRequest())
    }
}
