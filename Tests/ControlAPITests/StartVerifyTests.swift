import APIModel
import Testing

@Suite("POST /v1/vms/{vm}/backups/{id}/verify")
struct StartVerifyTests {
    private let path = "/v1/vms/web01/backups/\(FakeBackupController.fullID)/verify"

    @Test func answers202WithTheTaskAndItsLocation() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", path)
            #expect(reply.status == 202)
            let task = try reply.decode(TaskInfo.self)
            #expect(task.kind == "verify")
            #expect(task.state == .queued)
            #expect(reply.headers["location"] == "/v1/tasks/\(task.id)")
        }
        #expect(await controller.verifies.map(\.id) == [FakeBackupController.fullID])
    }

    @Test func anEmptyObjectIsAccepted() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", path, body: "{}")
            #expect(reply.status == 202)
        }
    }

    @Test func anUnknownFieldIsABadRequestAndNothingIsQueued() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", path, body: #"{"disks":["vda"]}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message.contains("unknown field 'disks'") == true)
        }
        #expect(await controller.verifies.isEmpty)
    }

    @Test func anUnknownVMOrBackupIsA404() async throws {
        try await withRunningServer { client in
            let vm = try await client.send("POST", "/v1/vms/missing/backups/\(FakeBackupController.fullID)/verify")
            #expect(vm.status == 404)
            #expect(vm.error?.code == .vmNotFound)
            let backup = try await client.send("POST", "/v1/vms/web01/backups/20200101T000000Z-0000/verify")
            #expect(backup.status == 404)
            #expect(backup.error?.code == .backupNotFound)
        }
    }

    @Test func anotherMethodIsNotAllowed() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", path)
            #expect(reply.status == 405)
            #expect(reply.headers["allow"]?.contains("POST") == true)
        }
    }
}
