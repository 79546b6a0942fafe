import APIModel
import Testing

@testable import Engine

/// A verify holds its backup, not its VM: backups of the VM go on, a second verify of the same
/// backup is refused.
@Suite struct VerifyReservationTests {
    private let vm = VerifyFixture.vmUUID

    @Test func aVerifyLeavesTheVMFreeForABackup() async throws {
        let registry = TaskRegistry()
        let (verify, _) = try await registry.reserve(
            vmName: "web01", vmUUID: vm, kind: "verify", busyKey: "verify:\(vm)/b1")

        let (backup, _) = try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "backup")

        #expect(verify.id != backup.id)
        let other = try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "verify", busyKey: "verify:\(vm)/b2")
        #expect(other.0.kind == "verify", "another backup of the VM can be verified at the same time")
    }

    @Test func aSecondVerifyOfTheSameBackupIsRefusedUntilTheFirstEnds() async throws {
        let registry = TaskRegistry()
        let key = "verify:\(vm)/b1"
        let (first, _) = try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "verify", busyKey: key)

        await #expect(throws: EngineError.self) {
            try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "verify", busyKey: key)
        }

        await registry.finish(first.id) { $0.state = .succeeded }
        _ = try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "verify", busyKey: key)
    }

    @Test func anAbandonedVerifyFreesOnlyItsOwnKey() async throws {
        let registry = TaskRegistry()
        let (backup, _) = try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "backup")
        let (verify, _) = try await registry.reserve(
            vmName: "web01", vmUUID: vm, kind: "verify", busyKey: "verify:\(vm)/b1")

        await registry.abandon(verify.id)

        await #expect(throws: EngineError.self, "the backup still holds the VM") {
            try await registry.reserve(vmName: "web01", vmUUID: vm, kind: "backup")
        }
        _ = backup
    }
}
