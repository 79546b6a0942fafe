import APIModel
import Testing

@Suite("DELETE /v1/vms/{vm}/backups/{id}")
struct DeleteBackupTests {
    static let fullPath = "/v1/vms/web01/backups/20261122T013000Z-3f9a"

    @Test func answers200WithTheDeletedIDs() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", "/v1/vms/web01/backups/20261123T013000Z-77aa")
            #expect(reply.status == 200)
            #expect(
                try reply.decode(BackupDeletion.self) == BackupDeletion(deleted: [FakeBackupController.incrementalID]))
        }
        let deletions = await controller.deletions
        #expect(deletions.map(\.id) == [FakeBackupController.incrementalID])
        #expect(deletions.map(\.children) == [nil])
    }

    @Test(arguments: [ChildrenDeletion.merge, .delete, .only])
    func theChildrenParameterReachesTheController(children: ChildrenDeletion) async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath + "?children=\(children.rawValue)")
            #expect(reply.status == 200)
            #expect(try reply.decode(BackupDeletion.self).deleted.isEmpty == false)
        }
        #expect(await controller.deletions.map(\.children) == [children])
    }

    @Test func withoutTheChildrenParameterTheAnswerNamesTheChildrenMergedInto() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath)
            #expect(reply.status == 200)
            #expect(
                try reply.decode(BackupDeletion.self)
                    == BackupDeletion(
                        deleted: [FakeBackupController.fullID], merged: [FakeBackupController.incrementalID]))
        }
        #expect(await controller.deletions.map(\.children) == [nil])
    }

    @Test func anUnknownChildrenValueIsABadRequestNamingTheAllowedOnes() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath + "?children=all")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "query parameter 'children' must be one of merge, delete, only, not 'all'")
        }
        #expect(await controller.deletions.isEmpty)
    }

    @Test func aMisspelledParameterDeletesNothing() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath + "?childern=only")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown query parameter 'childern' (known: children)")
        }
        #expect(await controller.deletions.isEmpty)
    }

    @Test func anUnknownBackupIs404() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("DELETE", "/v1/vms/web01/backups/nope")
            #expect(reply.status == 404)
            #expect(reply.error?.code == .backupNotFound)
        }
    }
}
