import Snapshots
import Synchronization

/// Snapshots that can go bad while they are read (an LVM snapshot that overflows) are watched
/// during the stream; the first problem stops it.
extension LiveBackupEffects {
    /// Polls the snapshots every second until cancelled; records the first that went bad.
    static func watch(
        _ snapshots: [(TakenSnapshot, any SnapshotMethod)], vm: String, reportingTo overflow: Overflow
    ) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            for (snapshot, method) in snapshots {
                if let problem = try? await problem(of: snapshot, by: method, vm: vm) {
                    overflow.report(problem)
                    return
                }
            }
        }
    }

    static func problem(
        of snapshot: TakenSnapshot, by method: any SnapshotMethod, vm: String
    ) async throws -> EngineError? {
        guard let problem = try await method.health(of: snapshot) else { return nil }
        return EngineError(
            .snapshotFailed, "the backup of VM \(vm) failed and is not published: \(problem)", step: .stream, vm: vm,
            disk: snapshot.disk.target)
    }
}

/// The first problem a watcher found, read by the streaming thread between chunks.
final class Overflow: Sendable {
    private let first = Mutex<EngineError?>(nil)

    func report(_ problem: EngineError) {
        first.withLock { if $0 == nil { $0 = problem } }
    }

    var problem: EngineError? { first.withLock { $0 } }
}
