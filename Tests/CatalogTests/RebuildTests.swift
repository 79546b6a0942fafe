import APIModel
import Blocking
import Catalog
import Foundation
import Targets
import Testing

@Suite struct RebuildTests {
    @Test func rebuildReplacesTheRowsOfOneTargetOnly() async throws {
        let catalog = try BackupCatalog.inMemory()
        let gone = Fixture.stored(hours: 0)
        let kept = Fixture.stored(hours: 1)
        let offsite = Fixture.stored(hours: 2, vm: Fixture.otherVM)
        try await catalog.record(gone, target: "default")
        try await catalog.record(kept, target: "default")
        try await catalog.record(offsite, target: "offsite")
        let new = Fixture.stored(hours: 3, parent: kept)
        let newVM = Fixture.stored(hours: 4, vm: "1e2d3c4b-5a69-4788-96a5-b4c3d2e1f000")

        let report = try await catalog.rebuild(from: [kept, new, newVM], target: "default")

        #expect(report == RebuildReport(target: "default", recorded: 3, vms: 2, added: 2, dropped: 1))
        #expect(try await catalog.backups(vmUUID: Fixture.vm).map(\.id) == [kept.id, new.id])
        #expect(try await catalog.backups(vmUUID: Fixture.otherVM).map(\.target) == ["offsite"])
        #expect(try await catalog.vmUUIDs().count == 3)
    }

    @Test func theRowsOfTargetsTakenOutOfTheConfigAreForgotten() async throws {
        let catalog = try BackupCatalog.inMemory()
        let local = Fixture.stored(hours: 0)
        let old = Fixture.stored(hours: 1)
        try await catalog.record(local, target: "default")
        try await catalog.record(old, target: "retired")

        #expect(try await catalog.forgetTargets(except: ["default", "offsite"]) == 1)

        #expect(try await catalog.backups(vmUUID: Fixture.vm).map(\.id) == [local.id])
        #expect(try await catalog.forgetTargets(except: ["default"]) == 0)
    }

    @Test func theLastBackupCanBeAskedOfOneTarget() async throws {
        let catalog = try BackupCatalog.inMemory()
        let local = Fixture.stored(hours: 0)
        let offsite = Fixture.stored(hours: 5)
        try await catalog.record(local, target: "default")
        try await catalog.record(offsite, target: "offsite")

        #expect(try await catalog.lastBackup(vmUUID: Fixture.vm)?.id == offsite.id)
        #expect(try await catalog.lastBackup(vmUUID: Fixture.vm, target: "default")?.id == local.id)
        #expect(try await catalog.lastBackup(vmUUID: Fixture.vm, target: "archive") == nil)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: offsite.id)?.summary().target == "offsite")
    }

    @Test func aFailedRebuildLeavesTheCatalogAsItWas() async throws {
        let catalog = try BackupCatalog.inMemory()
        let old = [Fixture.stored(hours: 0), Fixture.stored(hours: 1)]
        for stored in old { try await catalog.record(stored, target: "default") }
        let before = try await catalog.backups(vmUUID: Fixture.vm)
        let fresh = Fixture.stored(hours: 2)
        let duplicate = Fixture.stored(hours: 3)

        // `fresh` is inserted, then the second `duplicate` fails mid-way.
        let error = await #expect(throws: CatalogError.self) {
            try await catalog.rebuild(from: [fresh, duplicate, duplicate], target: "default")
        }

        #expect(error?.code == .duplicateBackup)
        #expect(error?.description.contains("backup \(duplicate.id) of VM \(Fixture.vm) is given twice") == true)
        #expect(try await catalog.backups(vmUUID: Fixture.vm) == before)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: fresh.id) == nil)
    }

    @Test func aBackupRecordedOnAnotherTargetFailsTheRebuild() async throws {
        let catalog = try BackupCatalog.inMemory()
        let elsewhere = Fixture.stored(hours: 0)
        let mine = Fixture.stored(hours: 1)
        try await catalog.record(elsewhere, target: "offsite")
        try await catalog.record(mine, target: "default")

        let error = await #expect(throws: CatalogError.self) {
            try await catalog.rebuild(from: [elsewhere], target: "default")
        }

        #expect(error?.description.contains("is also recorded on target 'offsite'") == true)
        #expect(try await catalog.backups(vmUUID: Fixture.vm).map(\.target) == ["offsite", "default"])
    }

    @Test func rebuildTakesTheDescriptionAndProtectionFromTheManifests() async throws {
        let catalog = try BackupCatalog.inMemory()
        var full = Fixture.stored(hours: 0)
        try await catalog.record(full, target: "default")
        full.manifest.description = "golden image"
        full.manifest.protected = true

        try await catalog.rebuild(from: [full], target: "default")

        let rebuilt = try #require(try await catalog.backup(vmUUID: Fixture.vm, id: full.id))
        #expect(rebuilt.description == "golden image")
        #expect(rebuilt.isProtected)
    }

    @Test func aFreshCatalogListsEverythingOnTheDirectoryTarget() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let executor = BlockingExecutor(threads: 1)
        let target = try DirectoryTarget(root: folder + "/backups", executor: executor)
        var published: [StoredBackup] = []
        for (hours, parent) in [(0.0, nil), (1, 0), (2, 1)] as [(Double, Int?)] {
            let template = Fixture.stored(hours: hours, parent: parent.map { published[$0] })
            let id = try #require(BackupID(validating: template.id))
            let writer = try await target.begin(vmUUID: Fixture.vm, backupID: id)
            published.append(try await writer.commit(template.manifest))
        }

        let catalog = try BackupCatalog(path: folder + "/catalog.sqlite")
        let report = try await catalog.rebuild(from: try await target.listAll(), target: "default")

        #expect(report.recorded == 3)
        let tree = try await catalog.tree(vmUUID: Fixture.vm)
        #expect(tree.map(\.backup.id) == [published[0].id])
        #expect(tree.first?.children.first?.children.first?.backup.id == published[2].id)
        #expect(try await catalog.backups(vmUUID: Fixture.vm).map(\.location) == published.map(\.location))
        await executor.shutdown()
    }
}
