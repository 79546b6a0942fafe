import APIModel
import Testing

@Suite("GET /v1/vms/{vm}/backups")
struct ListBackupsTests {
    @Test func withoutParentEveryBackupIsAskedFor() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups")
            #expect(reply.status == 200)
            #expect(try reply.decode([BackupSummary].self).count == 2)
        }
        let listings = await controller.listings
        #expect(listings.map(\.vm) == ["web01"])
        #expect(listings.map(\.parent) == [nil])
    }

    @Test func theParentParameterReachesTheController() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups?parent=20261122T013000Z-3f9a")
            #expect(reply.status == 200)
            #expect(try reply.decode([BackupSummary].self).map(\.id) == [FakeBackupController.incrementalID])
        }
        #expect(await controller.listings.map(\.parent) == [FakeBackupController.fullID])
    }

    @Test func aPercentEncodedParentIsDecoded() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            _ = try await client.send("GET", "/v1/vms/web01/backups?parent=a%20b")
        }
        #expect(await controller.listings.map(\.parent) == ["a b"])
    }

    @Test func anUnknownParentIs404FromTheController() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups?parent=nope")
            #expect(reply.status == 404)
            #expect(reply.error == APIErrorInfo(.backupNotFound, "web01 has no backup nope"))
        }
    }

    @Test func anEmptyParentIsABadRequest() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups?parent=")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "query parameter 'parent' is empty")
        }
        #expect(await controller.listings.isEmpty)
    }

    @Test func anUnknownQueryParameterIsABadRequestNamingIt() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups?parnet=X")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown query parameter 'parnet' (known: parent)")
        }
        #expect(await controller.listings.isEmpty)
    }

    @Test func aParameterGivenTwiceIsABadRequest() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/backups?parent=A&parent=B")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "query parameter 'parent' is given more than once")
        }
    }

    @Test func anUnknownVMIs404() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/missing/backups")
            #expect(reply.status == 404)
            #expect(reply.error?.code == .vmNotFound)
        }
    }
}
