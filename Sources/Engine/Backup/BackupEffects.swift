import APIModel

/// The steps of one backup that touch the world: the guest, its disks and the target.
///
/// ``BackupJobRunner`` calls them in the order ``BackupJobStateMachine`` decides. Errors thrown
/// are classified with ``EngineError/init(classifying:step:vm:fileID:line:)``.
public protocol BackupEffects: Sendable {
    func prepareTarget() async throws
    func freeze() async throws
    func snapshot() async throws
    /// Must run to completion even when the job's task is cancelled.
    func thaw() async throws
    func stream() async throws
    /// Must run to completion even when the job's task is cancelled.
    func release() async throws
    func publish(consistency: Consistency) async throws -> BackupSummary
    /// Never throws: removes whatever partial backup exists.
    func discard() async
}
