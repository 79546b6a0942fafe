import APIModel
import Testing

@Suite("POST /v1/vms/{vm}/prune")
struct PruneTests {
    @Test func anEmptyBodyPrunesForReal() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/prune")
            #expect(reply.status == 200)
            #expect(try reply.decode(PruneResult.self) == FakeBackupController.pruneResult(vm: "web01", dryRun: false))
        }
        let prunes = await controller.prunes
        #expect(prunes.map(\.vm) == ["web01"])
        #expect(prunes.map(\.request) == [PruneRequest(dryRun: false)])
    }

    @Test func aDryRunReachesTheController() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/prune", body: #"{"dryRun":true}"#)
            #expect(reply.status == 200)
            #expect(try reply.decode(PruneResult.self).dryRun)
        }
        #expect(await controller.prunes.map(\.request) == [PruneRequest(dryRun: true)])
    }

    @Test func anUnknownFieldPrunesNothing() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/prune", body: #"{"dry_run":true}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown field 'dry_run' (known: dryRun)")
        }
        #expect(await controller.prunes.isEmpty)
    }

    @Test func aDryRunFlagOfTheWrongTypeIsABadRequest() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/prune", body: #"{"dryRun":"yes"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "field 'dryRun' must be true or false")
        }
    }

    @Test func aDryRunAskedInTheQueryPrunesNothing() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/prune?dryRun=true")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown query parameter 'dryRun' (this path takes none)")
        }
        #expect(await controller.prunes.isEmpty)
    }

    @Test func anUnknownVMIs404() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/missing/prune")
            #expect(reply.status == 404)
            #expect(reply.error?.code == .vmNotFound)
        }
    }
}
