import Foundation
import Testing

@testable import Targets

/// Every target kind the conformance suite runs against. A new target adds a case here and
/// passes every check below unchanged.
enum TargetKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case directory, memory

    var testDescription: String { rawValue }

    /// A new, empty target of this kind, and how to remove what it left.
    func make() throws -> (target: any BackupTarget, cleanUp: @Sendable () -> Void) {
        switch self {
        case .directory:
            let root = NSTemporaryDirectory() + "vmbt-conformance-" + UUID().uuidString
            let owner = DaemonIdentity(host: "kvm01", daemonID: "6c1d1f0e-3b57-4b8e-9f0e-0d5a8f1c2b3a")
            let target = try DirectoryTarget(root: root, owner: owner, executor: testExecutor)
            return (target, { try? FileManager.default.removeItem(atPath: root) })
        case .memory:
            return (MemoryTarget(), {})
        }
    }
}
