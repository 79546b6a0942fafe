import APIModel
import Testing

/// The `{id}` of `/v1/vms/{vm}/backups/{id}` is whatever names a backup: its id, its name or
/// `latest`. The controller resolves it; the HTTP layer passes it on as given, decoded, and the
/// answer carries the real id.
@Suite("A backup named by id, name or latest")
struct BackupReferenceTests {
    @Test func latestInThePathShowsTheNewestBackupWithItsRealID() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups/latest")
            #expect(reply.status == 200)
            #expect(try reply.decode(BackupSummary.self).id == FakeBackupController.incrementalID)
        }
    }

    @Test func latestInThePathReachesTheControllerOfAnUpdate() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("PUT", "/v1/vms/web01/backups/latest", body: #"{"protected":true}"#)
            #expect(reply.status == 200)
            #expect(try reply.decode(BackupSummary.self).id == FakeBackupController.incrementalID)
        }
        #expect(await controller.updates.map(\.id) == ["latest"])
    }

    @Test func latestInThePathDeletesTheNewestBackup() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", "/v1/vms/web01/backups/latest")
            #expect(reply.status == 200)
            #expect(
                try reply.decode(BackupDeletion.self) == BackupDeletion(deleted: [FakeBackupController.incrementalID]))
        }
        #expect(await controller.deletions.map(\.id) == ["latest"])
    }

    @Test func aPercentEncodedNameIsDecodedBeforeItReachesTheController() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups/after%20upgrade")
            #expect(reply.status == 200)
            #expect(try reply.decode(BackupSummary.self).id == FakeBackupController.incrementalID)
        }
    }

    @Test func aNameWithAnEncodedSlashStaysOneSegment() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups/before%2Fafter")
            #expect(reply.status == 404)
            #expect(reply.error == APIErrorInfo(.backupNotFound, "web01 has no backup before/after"))
        }
    }

    @Test func latestAsTheParentOfAListingReachesTheController() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups?parent=latest")
            #expect(reply.status == 200)
            #expect(try reply.decode([BackupSummary].self).isEmpty, "the newest backup has no children")
        }
        #expect(await controller.listings.map(\.parent) == ["latest"])
    }

    @Test func anAmbiguousNameIs409WithTheIDsToChooseFrom() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups/twin")
            #expect(reply.status == 409)
            #expect(reply.error?.code == .backupAmbiguous)
            #expect(reply.error?.message.contains(FakeBackupController.fullID) == true)
            #expect(reply.error?.message.contains(FakeBackupController.incrementalID) == true)
        }
    }

    @Test func anAmbiguousNameDeletesNothing() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", "/v1/vms/web01/backups/twin?children=delete")
            #expect(reply.status == 409)
            #expect(reply.error?.code == .backupAmbiguous)
        }
        #expect(await controller.deletions.isEmpty)
    }
}
