import APIModel
import Testing

@testable import Engine

/// `vmbackup vms`: the VMs with backups, defined here or not, and the domains defined here.
@Suite struct VMListingTests {
    private typealias Host = TestDriverEngine

    @Test func vmsListsBackedUpVMsDefinedHereOrNotAndDefinedDomainsWithout() async throws {
        let gone = [Host.stored(hours: 0), Host.stored(hours: 2)]
        let defined = Host.stored(hours: 1, vmUUID: Host.definedUUID, vmName: "renamed-since")
        try await Host.with(gone + [defined]) { engine, _ async throws in
            let vms = try await engine.vms()
            #expect(
                vms == [
                    VMSummary(
                        vmName: "test", vmUUID: Host.definedUUID, defined: true, backupCount: 1,
                        latestBackupID: defined.manifest.backupID, latestBackupCreated: defined.manifest.created,
                        storedBytes: 1000),
                    VMSummary(
                        vmName: "web01", vmUUID: Host.goneUUID, defined: false, backupCount: 2,
                        latestBackupID: gone[1].manifest.backupID, latestBackupCreated: gone[1].manifest.created,
                        storedBytes: 2000),
                ])
        }
    }

    @Test func aDefinedDomainWithoutBackupsIsListedWithNone() async throws {
        try await Host.with([]) { engine, _ async throws in
            #expect(
                try await engine.vms() == [
                    VMSummary(vmName: "test", vmUUID: Host.definedUUID, defined: true, backupCount: 0)
                ])
        }
    }
}
