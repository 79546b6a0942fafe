import APIModel
import Catalog
import Foundation
import Testing

@testable import Engine

/// Deleting and pruning backups of a real incremental chain on a directory target: `qemu-img`
/// rebases the children of what goes, and every backup left reads what its index says.
@Suite("ChainMergeEngineTests", .serialized)
struct ChainMergeEngineTests {
    private typealias Fixture = ChainFixture

    @Test func deletingTheMiddleBackupMergesItIntoItsChild() async throws {
        try await Fixture.with(chainOf: 3) { engine, fixture in
            let (full, middle, last) = (fixture.backupIDs[0], fixture.backupIDs[1], fixture.backupIDs[2])

            let deletion = try await engine.deleteBackup(vm: Fixture.vmName, id: middle, children: nil)

            #expect(deletion == BackupDeletion(deleted: [middle], merged: [last]))
            #expect(try fixture.storedIDs() == [full, last])
            #expect(try fixture.backingFile(last) == "../\(full)/vda.qcow2")
            let manifest = try fixture.manifest(last)
            #expect(manifest.parent == full)
            #expect(manifest.level == .incremental)
            #expect(manifest.disks.first?.backingFile == "../\(full)/vda.qcow2")
            for id in [full, last] { #expect(try fixture.contentMatchesIndex(id), "backup \(id)") }
            let catalog = try await engine.listBackups(vm: Fixture.vmName)
            #expect(catalog.map(\.id) == [full, last])
            #expect(catalog.last?.parent == full)
        }
    }

    @Test func deletingTheFullBackupMakesItsChildAWholeFullBackup() async throws {
        try await Fixture.with(chainOf: 3) { engine, fixture in
            let (full, first, last) = (fixture.backupIDs[0], fixture.backupIDs[1], fixture.backupIDs[2])
            let storedBefore = try fixture.manifest(first).disks.first?.storedBytes ?? 0

            let deletion = try await engine.deleteBackup(vm: Fixture.vmName, id: full, children: .merge)

            #expect(deletion == BackupDeletion(deleted: [full], merged: [first]))
            #expect(try fixture.backingFile(first) == nil)
            let manifest = try fixture.manifest(first)
            #expect(manifest.parent == nil)
            #expect(manifest.level == .full)
            #expect(manifest.disks.first?.backingFile == nil)
            #expect((manifest.disks.first?.storedBytes ?? 0) > storedBefore, "it holds what the full one held")
            #expect(manifest.disks.last?.excluded == "cdrom", "the rest of the manifest is kept")
            for id in [first, last] { #expect(try fixture.contentMatchesIndex(id), "backup \(id)") }
        }
    }

    @Test func childrenDeleteRemovesTheBackupAndItsDescendants() async throws {
        try await Fixture.with(chainOf: 3) { engine, fixture in
            let ids = fixture.backupIDs

            let deletion = try await engine.deleteBackup(vm: Fixture.vmName, id: ids[1], children: .delete)

            #expect(deletion == BackupDeletion(deleted: [ids[2], ids[1]]))
            #expect(try fixture.storedIDs() == [ids[0]])
            #expect(try fixture.contentMatchesIndex(ids[0]))
        }
    }

    @Test func childrenOnlyKeepsTheBackupAndRemovesItsDescendants() async throws {
        try await Fixture.with(chainOf: 4) { engine, fixture in
            let ids = fixture.backupIDs

            let deletion = try await engine.deleteBackup(vm: Fixture.vmName, id: ids[1], children: .only)

            #expect(deletion == BackupDeletion(deleted: [ids[3], ids[2]]))
            #expect(try fixture.storedIDs() == [ids[0], ids[1]])
            for id in ids.prefix(2) { #expect(try fixture.contentMatchesIndex(id), "backup \(id)") }
        }
    }

    @Test func aProtectedBackupIsNotMergedAwayButMayAbsorbItsParent() async throws {
        try await Fixture.with(chainOf: 3) { engine, fixture in
            let ids = fixture.backupIDs
            _ = try await engine.updateBackup(vm: Fixture.vmName, id: ids[1], update: BackupUpdate(protected: true))

            let refused = await #expect(throws: EngineError.self) {
                try await engine.deleteBackup(vm: Fixture.vmName, id: ids[1], children: nil)
            }
            #expect(refused?.code == .preconditionFailed)
            #expect(try fixture.storedIDs() == ids)

            let deletion = try await engine.deleteBackup(vm: Fixture.vmName, id: ids[0], children: nil)
            #expect(deletion.merged == [ids[1]])
            #expect(try fixture.manifest(ids[1]).protected)
            for id in ids.dropFirst() { #expect(try fixture.contentMatchesIndex(id), "backup \(id)") }
        }
    }

    /// A crash after a child's image was rebased and before its manifest was rewritten leaves a
    /// manifest naming the old parent; the images tell the truth, so deleting the grandparent
    /// finds the child through its image and leaves nothing reading a deleted backup.
    @Test func aChildRebasedBeforeACrashIsFoundByItsImage() async throws {
        try await Fixture.with(chainOf: 3) { engine, fixture in
            let (full, middle, last) = (fixture.backupIDs[0], fixture.backupIDs[1], fixture.backupIDs[2])
            try Fixture.run([
                "qemu-img", "rebase", "-q", "-f", "qcow2", "-F", "qcow2", "-b", "../\(full)/vda.qcow2",
                fixture.image(last),
            ])
            #expect(try fixture.manifest(last).parent == middle)

            let deletion = try await engine.deleteBackup(vm: Fixture.vmName, id: full, children: nil)

            #expect(deletion == BackupDeletion(deleted: [full], merged: [middle, last]))
            for id in [middle, last] {
                #expect(try fixture.backingFile(id) == nil, "backup \(id)")
                #expect(try fixture.contentMatchesIndex(id), "backup \(id)")
                #expect(try fixture.manifest(id).parent == nil)
            }

            _ = try await engine.deleteBackup(vm: Fixture.vmName, id: middle, children: nil)
            #expect(try fixture.storedIDs() == [last])
            #expect(try fixture.contentMatchesIndex(last))
        }
    }

    @Test func keepLastTwoOverAChainOfFiveLeavesTwoRestorablePoints() async throws {
        try await Fixture.with(chainOf: 5, keepLast: 2) { engine, fixture in
            let ids = fixture.backupIDs

            let dryRun = try await engine.prune(vm: Fixture.vmName, request: PruneRequest(dryRun: true))
            #expect(dryRun.entries.map(\.action) == ["keep", "keep", "merge", "merge", "merge"])
            #expect(dryRun.entries.map(\.mergeInto) == [nil, nil, [ids[3]], [ids[3]], [ids[3]]])
            #expect(try fixture.storedIDs() == ids)

            let pruned = try await engine.prune(vm: Fixture.vmName, request: PruneRequest(dryRun: false))

            #expect(pruned.removed == [ids[2], ids[1], ids[0]])
            #expect(try fixture.storedIDs() == [ids[3], ids[4]])
            #expect(try fixture.backingFile(ids[3]) == nil)
            #expect(try fixture.manifest(ids[3]).level == .full)
            #expect(try fixture.backingFile(ids[4]) == "../\(ids[3])/vda.qcow2")
            for id in ids.suffix(2) { #expect(try fixture.contentMatchesIndex(id), "backup \(id)") }
        }
    }
}
