import APIModel
import Testing

@Suite("Error answers")
struct ErrorAnswerTests {
    @Test func anUnknownRouteIs404JSON() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/nothing/here")
            #expect(reply.status == 404)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(reply.error?.code == .notFound)
        }
    }

    @Test func aWrongMethodIs405JSONNamingTheAllowedOnes() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PUT", "/v1/tasks/T1")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == "GET, DELETE")
            #expect(reply.error?.code == .badRequest)
        }
    }

    @Test func anUnexpectedControllerErrorIs500Internal() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/broken/backups")
            #expect(reply.status == 500)
            #expect(reply.error?.code == .internal)
        }
    }

    @Test func theServerKeepsServingAfterErrors() async throws {
        try await withRunningServer { client in
            #expect(try await client.send("POST", "/v1/vms/web01/backups", body: "{").status == 400)
            #expect(try await client.send("POST", "/v1/vms/missing/backups").status == 404)
            #expect(try await client.send("POST", "/v1/vms/broken/backups").status == 500)
            #expect(try await client.send("GET", "/nowhere").status == 404)
            #expect(try await client.send("GET", "/v1/status").status == 200)
            #expect(try await client.send("POST", "/v1/vms/web01/backups").status == 202)
        }
    }
}
