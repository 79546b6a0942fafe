import Catalog
import Foundation
import Targets
import Testing

@Suite struct BackupReferenceTests {
    /// The backup as the catalog would hand it over; no database needed.
    private func backup(_ stored: StoredBackup) -> CatalogBackup {
        let manifest = stored.manifest
        return CatalogBackup(
            vmUUID: manifest.vmUUID, id: manifest.backupID, vmName: manifest.vmName, name: manifest.name,
            created: manifest.created, parent: manifest.parent, consistency: manifest.consistency,
            location: stored.location, target: "default", manifest: manifest)
    }

    /// A backup made `hours` after the fixture's epoch, with the id given.
    private func backup(hours: Double, id: String, name: String? = nil) -> CatalogBackup {
        var made = backup(Fixture.stored(hours: hours, name: name))
        made.id = id
        return made
    }

    private func resolve(_ text: String, in backups: [CatalogBackup]) throws(BackupReference.Failure) -> String {
        try BackupReference(text).resolve(in: backups).id
    }

    @Test func anIDNamesItsBackup() throws {
        let backups = [0, 1, 2].map { backup(Fixture.stored(hours: $0)) }
        #expect(try resolve(backups[1].id, in: backups) == backups[1].id)
    }

    @Test func anIDWinsOverABackupNamedLikeIt() throws {
        let named = backup(Fixture.stored(hours: 1))
        let other = backup(Fixture.stored(hours: 0, name: named.id))
        #expect(try resolve(named.id, in: [other, named]) == named.id)
    }

    @Test func latestNamesTheNewestBackupInWhateverOrderTheyCome() throws {
        let backups = [3, 0, 7, 2].map { backup(Fixture.stored(hours: $0)) }
        #expect(try resolve("latest", in: backups) == backups[2].id)
    }

    @Test func latestBreaksATieOfCreationTimeByID() throws {
        let backups = [
            backup(hours: 1, id: "20270115T080000Z-00b0"), backup(hours: 1, id: "20270115T080000Z-00c0"),
            backup(hours: 1, id: "20270115T080000Z-00a0"),
        ]
        #expect(try resolve("latest", in: backups) == "20270115T080000Z-00c0")
    }

    @Test func theKeywordLatestWinsOverABackupNamedLatest() throws {
        let named = backup(Fixture.stored(hours: 0, name: "latest"))
        let newest = backup(Fixture.stored(hours: 1))
        #expect(try resolve("latest", in: [named, newest]) == newest.id)
        #expect(try resolve(named.id, in: [named, newest]) == named.id, "it stays reachable by its id")
    }

    @Test func theKeywordIsLowercase() {
        let backups = [backup(Fixture.stored(hours: 0))]
        #expect(throws: BackupReference.Failure.notFound) { try resolve("LATEST", in: backups) }
    }

    @Test func aNameNamesTheOneBackupThatHasIt() throws {
        let backups = [
            backup(Fixture.stored(hours: 0, name: "weekly")), backup(Fixture.stored(hours: 1, name: "before upgrade")),
            backup(Fixture.stored(hours: 2)),
        ]
        #expect(try resolve("before upgrade", in: backups) == backups[1].id)
    }

    @Test func namesAreMatchedExactlyCaseIncluded() {
        let backups = [backup(Fixture.stored(hours: 0, name: "weekly"))]
        #expect(throws: BackupReference.Failure.notFound) { try resolve("Weekly", in: backups) }
        #expect(throws: BackupReference.Failure.notFound) { try resolve("week", in: backups) }
        #expect(throws: BackupReference.Failure.notFound) { try resolve("weekly ", in: backups) }
    }

    @Test func aNameSeveralBackupsHaveIsAmbiguousWithTheirIDsOldestFirst() {
        let newer = backup(Fixture.stored(hours: 5, name: "nightly"))
        let older = backup(Fixture.stored(hours: 1, name: "nightly"))
        let other = backup(Fixture.stored(hours: 3, name: "weekly"))
        #expect(throws: BackupReference.Failure.ambiguous(ids: [older.id, newer.id])) {
            try resolve("nightly", in: [newer, other, older])
        }
    }

    @Test func textThatIsNeitherAnIDNorANameIsNotFound() {
        let backups = [backup(Fixture.stored(hours: 0, name: "weekly"))]
        #expect(throws: BackupReference.Failure.notFound) { try resolve("20261122T013000Z-3f9a", in: backups) }
        #expect(throws: BackupReference.Failure.notFound) { try resolve("", in: backups) }
    }

    @Test(arguments: ["latest", "20261122T013000Z-3f9a", "anything"])
    func aVMWithoutBackupsResolvesNothing(text: String) {
        #expect(throws: BackupReference.Failure.notFound) { try resolve(text, in: []) }
    }

    @Test(arguments: ["latest", "20261122T013000Z-3f9a"])
    func aNameThatAReferenceCouldNeverReachIsRefused(name: String) throws {
        let reason = try #require(BackupReference.unreachableName(name))
        #expect(reason.contains(name))
    }

    @Test(arguments: ["", "Latest", "latest backup", "before upgrade", "20261122T013000Z", "20261122T013000Z-3F9A"])
    func anyOtherNameIsFine(name: String) {
        #expect(BackupReference.unreachableName(name) == nil)
    }
}
