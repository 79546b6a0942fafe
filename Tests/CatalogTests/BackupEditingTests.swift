import APIModel
import Catalog
import Foundation
import Targets
import Testing

@Suite struct BackupEditingTests {
    @Test func removeDeletesOneBackupAndItsChildrenBecomeRoots() async throws {
        let catalog = try BackupCatalog.inMemory()
        let full = Fixture.stored(hours: 0)
        let first = Fixture.stored(hours: 1, parent: full)
        let second = Fixture.stored(hours: 2, parent: first)
        for stored in [full, first, second] { try await catalog.record(stored, target: "default") }

        #expect(try await catalog.remove(vmUUID: Fixture.vm, id: first.id))
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: first.id) == nil)
        #expect(try await catalog.backups(vmUUID: Fixture.vm).map(\.id) == [full.id, second.id])
        let roots = try await catalog.roots(vmUUID: Fixture.vm)
        #expect(roots.map(\.id) == [full.id, second.id])
        #expect(roots.map(\.missingParent) == [false, true])
        #expect(try await catalog.remove(vmUUID: Fixture.vm, id: first.id) == false, "already gone")
    }

    @Test func recordingAgainTakesEverythingFromTheManifest() async throws {
        let catalog = try BackupCatalog.inMemory()
        var full = Fixture.stored(hours: 0, name: "nightly")
        try await catalog.record(full, target: "default")

        full.manifest.name = "renamed on the target"
        full.manifest.description = "golden image"
        full.manifest.protected = true
        full.location = "/mnt/moved/\(full.id)"
        let again = try await catalog.record(full, target: "default")
        #expect(again.name == "renamed on the target")
        #expect(again.location == "/mnt/moved/\(full.id)")
        #expect(again.description == "golden image")
        #expect(again.isProtected)
        #expect(again.manifest == full.manifest)
        #expect(try await catalog.backups(vmUUID: Fixture.vm).count == 1)
    }

    @Test func aBackupRecordedOnOneTargetIsNotTakenOverByAnother() async throws {
        let catalog = try BackupCatalog.inMemory()
        let full = Fixture.stored(hours: 0)
        try await catalog.record(full, target: "default")
        let error = await #expect(throws: CatalogError.self) { try await catalog.record(full, target: "offsite") }
        #expect(error?.code == .duplicateBackup)
        #expect(error?.description.contains("recorded on target 'default'") == true)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: full.id)?.target == "default")
    }
}
