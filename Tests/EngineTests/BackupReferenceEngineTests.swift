import APIModel
import Catalog
import Foundation
import Targets
import Testing

@testable import Engine

/// The engine resolves every backup a request names (id, name or `latest`) in one place, for VMs
/// libvirt defines and for VMs it no longer does.
@Suite struct BackupReferenceEngineTests {
    private typealias Host = TestDriverEngine

    @Test func aVMLibvirtNoLongerDefinesIsNamedAsItsBackupsWere() async throws {
        let backups = [Host.stored(hours: 0), Host.stored(hours: 1)]
        try await Host.with(backups) { engine, _ async throws in
            #expect(
                try await engine.listBackups(vm: Host.goneName).map(\.id)
                    == backups.map(\.manifest.backupID))
            #expect(try await engine.listBackups(vm: Host.goneUUID.uppercased()).count == 2)
            #expect(
                try await engine.backup(vm: Host.goneName, id: "latest").id == backups[1].manifest.backupID)
        }
    }

    @Test func aVMNeitherLibvirtNorTheCatalogKnowsIsNotFound() async throws {
        try await Host.with([Host.stored(hours: 0)]) { engine, _ async throws in
            let error = await #expect(throws: EngineError.self) { try await engine.backup(vm: "nope", id: "latest") }
            #expect(error?.code == .vmNotFound)
        }
    }

    @Test func anIDANameAndLatestEachNameTheirBackup() async throws {
        let backups = [
            Host.stored(hours: 0, name: "before upgrade"), Host.stored(hours: 1),
            Host.stored(hours: 2, name: "x"),
        ]
        let ids = backups.map(\.manifest.backupID)
        try await Host.with(backups) { engine, _ async throws in
            #expect(try await engine.backup(vm: Host.goneName, id: ids[1]).id == ids[1])
            #expect(try await engine.backup(vm: Host.goneName, id: "before upgrade").id == ids[0])
            #expect(try await engine.backup(vm: Host.goneName, id: "latest").id == ids[2])
        }
    }

    @Test func anUnknownReferenceIsNotFoundNamingTheVMAndWhatWasAsked() async throws {
        try await Host.with([Host.stored(hours: 0)]) { engine, _ async throws in
            let error = await #expect(throws: EngineError.self) {
                try await engine.backup(vm: Host.goneName, id: "nightly")
            }
            #expect(error?.code == .backupNotFound)
            #expect(error?.message == #"VM web01 has no backup with the id or name "nightly""#)
        }
    }

    @Test func latestOfAVMWithoutBackupsIsNotFound() async throws {
        try await Host.with([Host.stored(hours: 0)]) { engine, _ async throws in
            let error = await #expect(throws: EngineError.self) {
                try await engine.backup(vm: Host.definedName, id: "latest")
            }
            #expect(error?.code == .backupNotFound)
            #expect(error?.message == "VM test has no backups, so none is the latest")
        }
    }

    @Test func anAmbiguousNameIsRefusedWithTheIDsAndDeletesNothing() async throws {
        let backups = [
            Host.stored(hours: 0, name: "nightly"), Host.stored(hours: 1, name: "nightly"),
        ]
        let ids = backups.map(\.manifest.backupID)
        try await Host.with(backups) { engine, catalog async throws in
            let error = await #expect(throws: EngineError.self) {
                try await engine.deleteBackup(vm: Host.goneName, id: "nightly", children: .delete)
            }
            #expect(error?.code == .backupAmbiguous)
            #expect(
                error?.message
                    == #"the name "nightly" is ambiguous: backups \#(ids[0]), \#(ids[1]) of VM web01 have it; "#
                    + "name one by its id")
            #expect(try await catalog.backups(vmUUID: Host.goneUUID).count == 2)
        }
    }

    @Test func theParentOfAListingIsAReferenceToo() async throws {
        let backups = [Host.stored(hours: 0, name: "base"), Host.stored(hours: 1)]
        try await Host.with(backups) { engine, _ async throws in
            #expect(try await engine.listBackups(vm: Host.goneName, parent: "base").isEmpty)
            let error = await #expect(throws: EngineError.self) {
                try await engine.listBackups(vm: Host.goneName, parent: "nope")
            }
            #expect(error?.code == .backupNotFound)
        }
    }

    @Test(arguments: ["latest", "20261122T013000Z-3f9a"])
    func aRenameToANameNoReferenceCouldReachIsABadRequest(name: String) async throws {
        try await Host.with([Host.stored(hours: 0)]) { engine, _ async throws in
            let error = await #expect(throws: EngineError.self) {
                try await engine.updateBackup(
                    vm: Host.goneName, id: "latest", update: BackupUpdate(name: name))
            }
            #expect(error?.code == .badRequest)
            #expect(error?.message.contains(name) == true)
        }
    }

    @Test func aBackupCannotBeStartedUnderTheNameLatest() async throws {
        try await Host.with([]) { engine, _ async throws in
            let error = await #expect(throws: EngineError.self) {
                try await engine.startBackup(vm: Host.definedName, request: BackupRequest(name: "latest"))
            }
            #expect(error?.code == .badRequest)
        }
    }
}
