import Foundation
import Logging

/// Places where the daemon kills itself when `VMBACKUPD_CRASH_AT` names them, so that tests can
/// leave a guest frozen, snapshots taken or a partial folder behind exactly as a crash (or
/// `kill -9`) would, and check what the next start recovers. Unset, nothing happens.
enum CrashPoint: String, Sendable, CaseIterable {
    /// Right after the guest's filesystems were frozen.
    case frozen
    /// Right after every snapshot was taken, the guest still frozen.
    case snapshotted
    /// As streaming begins: the guest thawed, snapshots and the partial folder there.
    case streaming
    /// As the snapshots are about to be merged or deleted, the stream done.
    case merging
    /// After every snapshot was merged or deleted, before publishing.
    case released
    /// A restore, right after its first disk was written.
    case restoring

    private static let requested = ProcessInfo.processInfo.environment["VMBACKUPD_CRASH_AT"].flatMap(Self.init)

    static func reach(_ point: CrashPoint, logger: Logger) {
        guard requested == point else { return }
        logger.critical("VMBACKUPD_CRASH_AT=\(point.rawValue): killing the daemon on purpose")
        kill(getpid(), SIGKILL)
    }
}
