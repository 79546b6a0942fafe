import Catalog
import Foundation
import Targets
import Testing

@Suite struct CatalogVMTests {
    @Test func anEmptyCatalogHasNoVMs() async throws {
        #expect(try await BackupCatalog.inMemory().vms().isEmpty)
    }

    @Test func eachVMWithBackupsIsListedOnceByUUID() async throws {
        let catalog = try BackupCatalog.inMemory()
        let web = [
            Fixture.stored(hours: 0, vmName: "web-old"), Fixture.stored(hours: 2), Fixture.stored(hours: 1),
        ]
        let db = Fixture.stored(hours: 3, vm: Fixture.otherVM, vmName: "db01")
        for stored in web + [db] { try await catalog.record(stored, target: "default") }

        let vms = try await catalog.vms()
        #expect(vms.map(\.vmUUID) == [Fixture.otherVM, Fixture.vm])
        #expect(vms.map(\.backupCount) == [1, 3])
        #expect(vms.map(\.latest.id) == [db.id, web[1].id])
        #expect(vms.map(\.vmName) == ["db01", "web01"], "the name in the newest backup")
    }

    @Test func storedBytesAddUpEveryStoredDiskOfEveryBackup() async throws {
        let catalog = try BackupCatalog.inMemory()
        // Each fixture backup stores vda (4096 bytes) and leaves the cdrom out.
        for hours in [0.0, 1, 2] { try await catalog.record(Fixture.stored(hours: hours), target: "default") }
        #expect(try await catalog.vms().map(\.storedBytes) == [3 * 4096])
    }
}
