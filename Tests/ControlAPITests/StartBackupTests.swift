import APIModel
import Testing

@Suite("POST /v1/vms/{vm}/backups")
struct StartBackupTests {
    @Test func answers202WithTheTaskAndItsLocation() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"name":"nightly"}"#)
            #expect(reply.status == 202)
            let task = try reply.decode(TaskInfo.self)
            #expect(task.vm == "web01")
            #expect(task.state == .queued)
            #expect(reply.headers["location"] == "/v1/tasks/\(task.id)")
            #expect(reply.headers["content-type"] == "application/json")
        }
    }

    @Test func anEmptyBodyAsksForEveryDefault() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups")
            #expect(reply.status == 202)
        }
        let started = await controller.startedBackups
        #expect(started.map(\.request) == [BackupRequest()])
    }

    @Test func theBodyReachesTheController() async throws {
        let controller = FakeBackupController()
        let body = #"{"name":"before upgrade","disks":["vda"],"exclude":["vdb"],"quiesce":"required"}"#
        try await withRunningServer(controller: controller) { client in
            let status = try await client.send("POST", "/v1/vms/web01/backups", body: body).status
            #expect(status == 202)
        }
        let expected = BackupRequest(name: "before upgrade", disks: ["vda"], exclude: ["vdb"], quiesce: .required)
        #expect(await controller.startedBackups.map(\.request) == [expected])
    }

    @Test func aPercentEncodedVMNameIsDecoded() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let status = try await client.send("POST", "/v1/vms/web%2001/backups").status
            #expect(status == 202)
        }
        #expect(await controller.startedBackups.map(\.vm) == ["web 01"])
    }

    @Test func malformedJSONIsABadRequest() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"name": "#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message.contains("not valid JSON") == true)
        }
    }

    @Test func anUnknownFieldIsABadRequestNamingIt() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"quiese":"required"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message.contains("unknown field 'quiese'") == true)
        }
        #expect(await controller.startedBackups.isEmpty)
    }

    @Test func anUnknownQuiescePolicyIsABadRequestNamingThePolicies() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"quiesce":"always"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message == "field 'quiesce' must be one of required, preferred, off")
        }
    }

    @Test func anUnknownLevelIsABadRequestNamingTheLevels() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"level":"weekly"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message == "field 'level' must be one of full, incremental, differential, auto")
        }
    }

    @Test func aFieldOfTheWrongTypeIsABadRequestNamingTheField() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"disks":"vda"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "field 'disks' must be an array of disk target names (strings)")
        }
    }

    @Test func anUnknownSnapshotMethodIsABadRequestNamingTheMethods() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"methods":{"vdb":"zfs"}}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "field 'methods.vdb' must be one of qcow2, lvm, btrfs, reflink")
        }
    }

    @Test func aBodyThatIsNotAnObjectIsABadRequest() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: "[]")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "request body must be a JSON object")
        }
    }

    @Test func anOversizedBodyIsRefused() async throws {
        try await withRunningServer { client in
            let name = String(repeating: "x", count: 100 * 1024)
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"name":"\#(name)"}"#)
            #expect(reply.status == 413)
            #expect(reply.error?.code == .badRequest)
        }
    }

    @Test func anUnknownVMIs404WithTheControllersMessage() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/missing/backups")
            #expect(reply.status == 404)
            #expect(reply.error == APIErrorInfo(.vmNotFound, "no VM named 'missing' on this host"))
        }
    }

    @Test func aBusyVMIs409() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/busy/backups")
            #expect(reply.status == 409)
            #expect(reply.error?.code == .vmBusy)
        }
    }
}
