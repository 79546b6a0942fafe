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

    @Test(arguments: [ChildrenDeletion.delete, .only])
    func theChildrenParameterReachesTheController(children: ChildrenDeletion) async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath + "?children=\(children.rawValue)")
            #expect(reply.status == 200)
            #expect(try reply.decode(BackupDeletion.self).deleted.first == FakeBackupController.incrementalID)
        }
        #expect(await controller.deletions.map(\.children) == [children])
    }

    @Test func aPreconditionFailureIs412WithTheControllersMessage() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("DELETE", Self.fullPath)
            #expect(reply.status == 412)
            #expect(reply.error?.code == .preconditionFailed)
            #expect(reply.error?.message.contains("children=delete or only") == true)
        }
    }

    @Test func anUnknownChildrenValueIsABadRequestNamingTheAllowedOnes() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath + "?children=all")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "query parameter 'children' must be delete or only, not 'all'")
        }
        #expect(await controller.deletions.isEmpty)
    }

    @Test func mergingChildrenIsABadRequestThatSaysWhy() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("DELETE", Self.fullPath + "?children=merge")
            #expect(reply.status == 400)
            #expect(
                reply.error
                    == APIErrorInfo(
                        .badRequest, "children=merge needs incremental backups, which this version does not make"))
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
