import APIModel
import Catalog
import Foundation
import Testing

@testable import Engine

/// What keeps a delete from merging: everything is checked before the first image is rewritten,
/// so a refusal leaves the chain exactly as it was.
@Suite("ChainMergeRefusalTests", .serialized)
struct ChainMergeRefusalTests {
    private typealias Fixture = ChainFixture

    /// An instant copy running on the newest backup reads through its parent's image: merging the
    /// full backup would rewrite that parent, so it is refused, and so is retention's merge.
    @Test func aBackupReadThroughByAnInstantCopyIsNotRewritten() async throws {
        try await Fixture.with(chainOf: 3, keepLast: 1) { engine, fixture in
            let ids = fixture.backupIDs
            try await engine.catalog.saveInstantCopy(
                InstantCopy(
                    domainUUID: UUID().uuidString.lowercased(), domainName: "web01-now", vmUUID: Fixture.vmUUID,
                    vmName: Fixture.vmName,
                    overlays: [
                        .init(
                            target: "vda", path: fixture.folder + "/web01-now.qcow2", backupID: ids[2],
                            backingFile: fixture.image(ids[2]))
                    ]))
            let before = try ids.map { try fixture.manifest($0) }

            let refused = await #expect(throws: EngineError.self) {
                try await engine.deleteBackup(vm: Fixture.vmName, id: ids[0], children: nil)
            }

            #expect(refused?.code == .preconditionFailed)
            #expect(refused?.message.contains("instant copy web01-now") == true)
            #expect(try ids.map { try fixture.manifest($0) } == before)
            #expect(try fixture.backingFile(ids[1]) == "../\(ids[0])/vda.qcow2")

            let pruned = try await engine.prune(vm: Fixture.vmName, request: PruneRequest(dryRun: false))
            #expect(pruned.removed.isEmpty, "the copy's backup keeps the ancestors it reads through")
            #expect(try fixture.storedIDs() == ids)
        }
    }

    @Test func deletingIsRefusedWhileABackupOfTheVMRuns() async throws {
        try await Fixture.with(chainOf: 2) { engine, fixture in
            let (task, _) = try await engine.registry.reserve(
                vmName: Fixture.vmName, vmUUID: Fixture.vmUUID, kind: "backup")

            let refused = await #expect(throws: EngineError.self) {
                try await engine.deleteBackup(vm: Fixture.vmName, id: fixture.backupIDs[0], children: nil)
            }

            #expect(refused?.code == .vmBusy)
            #expect(refused?.message.contains("backup task \(task.id)") == true)
            #expect(try fixture.storedIDs() == fixture.backupIDs)
            await engine.registry.abandon(task.id)
            _ = try await engine.deleteBackup(vm: Fixture.vmName, id: fixture.backupIDs[0], children: nil)
            #expect(try fixture.storedIDs() == [fixture.backupIDs[1]])
        }
    }
}
