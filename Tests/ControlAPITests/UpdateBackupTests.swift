import APIModel
import Testing

@Suite("PUT /v1/vms/{vm}/backups/{id}")
struct UpdateBackupTests {
    static let path = "/v1/vms/web01/backups/20261122T013000Z-3f9a"

    @Test func answers200WithTheBackupAsItIsNow() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PUT", Self.path, body: #"{"name":"before upgrade","protected":true}"#)
            #expect(reply.status == 200)
            let backup = try reply.decode(BackupSummary.self)
            #expect(backup.id == FakeBackupController.fullID)
            #expect(backup.name == "before upgrade")
            #expect(backup.protected)
        }
    }

    @Test func theUpdateReachesTheController() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let body = #"{"name":"","description":"before the kernel update","protected":false}"#
            let status = try await client.send("PUT", "/v1/vms/web%2001/backups/20261123T013000Z-77aa", body: body)
                .status
            #expect(status == 200)
        }
        let updates = await controller.updates
        #expect(updates.map(\.vm) == ["web 01"])
        #expect(updates.map(\.id) == [FakeBackupController.incrementalID])
        #expect(
            updates.map(\.update) == [BackupUpdate(name: "", description: "before the kernel update", protected: false)]
        )
    }

    @Test(arguments: ["", "{}", " \n"])
    func aBodyThatChangesNothingIsABadRequest(body: String) async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("PUT", Self.path, body: body)
            #expect(reply.status == 400)
            #expect(reply.error == APIErrorInfo(.badRequest, "nothing to change: give name, description or protected"))
        }
        #expect(await controller.updates.isEmpty)
    }

    @Test func anUnknownFieldIsABadRequestNamingIt() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PUT", Self.path, body: #"{"protect":true}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown field 'protect' (known: name, description, protected)")
        }
    }

    @Test func aFieldOfTheWrongTypeIsABadRequestNamingTheField() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PUT", Self.path, body: #"{"protected":"yes"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "field 'protected' must be true or false")
            let named = try await client.send("PUT", Self.path, body: #"{"name":42}"#)
            #expect(named.error?.message == "field 'name' must be a string")
        }
    }

    @Test func aBodyThatIsNotAJSONObjectIsABadRequest() async throws {
        try await withRunningServer { client in
            let notJSON = try await client.send("PUT", Self.path, body: "name=x")
            #expect(notJSON.status == 400)
            #expect(notJSON.error?.message.contains("not valid JSON") == true)
            let notObject = try await client.send("PUT", Self.path, body: #""x""#)
            #expect(notObject.status == 400)
            #expect(notObject.error?.message == "request body must be a JSON object")
        }
    }

    @Test func anUnknownBackupIs404FromTheController() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PUT", "/v1/vms/web01/backups/nope", body: #"{"name":"x"}"#)
            #expect(reply.status == 404)
            #expect(reply.error == APIErrorInfo(.backupNotFound, "web01 has no backup nope"))
        }
    }
}
