import APIModel
import Foundation
import GRDB
import Testing

@testable import Catalog

/// Migration 7 adds the `verification` table to a catalog of the version before, whose backups
/// stay, never verified.
@Suite struct VerificationMigrationTests {
    @Test func aCatalogOfTheVersionBeforeGainsVerificationsAndKeepsItsBackups() async throws {
        let folder = try Fixture.scratchFolder()
        defer { Fixture.remove(folder) }
        let path = folder + "/catalog.sqlite"
        let backup = Fixture.stored(hours: 0)
        do {
            let database = try DatabaseQueue(path: path)
            try CatalogSchema.migrator.migrate(database, upTo: "v6-drills")
            try await database.write { db in try BackupRecord(backup, target: "default").insert(db) }
        }

        let catalog = try BackupCatalog(path: path)

        let upgraded = try #require(try await catalog.backups(vmUUID: Fixture.vm).first)
        #expect(upgraded.id == backup.id)
        #expect(upgraded.verification == nil)
        let verification = Verification.passed(at: Fixture.epoch)
        try await catalog.recordVerification(verification, vmUUID: Fixture.vm, id: backup.id)
        #expect(try await catalog.backup(vmUUID: Fixture.vm, id: backup.id)?.verification == verification)
    }
}
