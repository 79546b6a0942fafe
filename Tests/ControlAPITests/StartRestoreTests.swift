import APIModel
import Testing

@Suite("POST /v1/vms/{vm}/backups/{id}/restore")
struct StartRestoreTests {
    @Test func answers202AndTheBodyReachesTheController() async throws {
        let controller = FakeBackupController()
        let body =
            #"{"as":"web01-copy","to":"/srv/vms","disks":[{"target":"vda"},{"target":"vdb","backup":"latest"}],"start":"paused","instant":true}"#
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups/nightly/restore", body: body)
            #expect(reply.status == 202)
            let task = try reply.decode(TaskInfo.self)
            #expect(reply.headers["location"] == "/v1/tasks/\(task.id)")
        }
        let restores = await controller.restores
        #expect(restores.map(\.id) == ["nightly"])
        #expect(
            restores.map(\.request) == [
                RestoreRequest(
                    disks: [.init(target: "vda"), .init(target: "vdb", backup: "latest")], to: "/srv/vms",
                    as: "web01-copy", start: .paused, instant: true)
            ])
    }

    @Test func anUnknownFieldOrAWrongValueIsABadRequestNamingIt() async throws {
        try await withRunningServer { client in
            let typo = try await client.send("POST", "/v1/vms/web01/backups/x/restore", body: #"{"inplace":true}"#)
            #expect(typo.status == 400)
            #expect(typo.error?.message.contains("inplace") == true)
            let start = try await client.send("POST", "/v1/vms/web01/backups/x/restore", body: #"{"start":"now"}"#)
            #expect(start.status == 400)
            #expect(start.error?.message.contains("running, paused") == true, "\(start.error?.message ?? "")")
            let disk = try await client.send(
                "POST", "/v1/vms/web01/backups/x/restore", body: #"{"to":"/x","disks":[{"dev":"vda"}]}"#)
            #expect(disk.status == 400)
        }
    }

    @Test func drillsAnswer202() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups/latest/drill")
            #expect(reply.status == 202)
            #expect(try reply.decode(TaskInfo.self).kind == "drill")
            let missing = try await client.send("POST", "/v1/vms/missing/backups/latest/drill")
            #expect(missing.status == 404)
            let field = try await client.send("POST", "/v1/vms/web01/backups/latest/drill", body: #"{"timeout":5}"#)
            #expect(field.status == 400, "a drill takes no field yet")
            #expect(field.error?.message.contains("timeout") == true)
        }
    }
}
