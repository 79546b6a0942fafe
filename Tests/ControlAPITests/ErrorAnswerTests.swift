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
            #expect(reply.error?.code == .methodNotAllowed)
        }
    }

    @Test func aWrongMethodOnABackupIs405NamingReadUpdateAndDelete() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PATCH", "/v1/vms/web01/backups/20261122T013000Z-3f9a")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == "GET, PUT, DELETE")
        }
    }

    @Test func aWrongMethodOnPruneIs405() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms/web01/prune")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == "POST")
        }
    }

    @Test func anyMethodNoRouteTakesOnAnExistingPathIs405NotFound() async throws {
        try await withRunningServer { client in
            for method in ["TRACE", "OPTIONS", "QUERY"] {
                let reply = try await client.send(method, "/v1/status")
                #expect(reply.status == 405, "\(method) /v1/status")
                #expect(reply.headers["allow"] == "GET")
                #expect(reply.error?.code == .methodNotAllowed)
            }
        }
    }

    @Test func aMethodOnAPathWithAParameterIs405NamingThatPathsMethods() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("QUERY", "/v1/vms/web01/backups/latest/restore")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == "POST")
        }
    }

    @Test func anyMethodOnAnUnknownPathIs404() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("TRACE", "/v1/nothing/here")
            #expect(reply.status == 404)
            #expect(reply.error?.code == .notFound)
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
        let exchanges: [(method: String, path: String, body: String?, status: Int)] = [
            ("POST", "/v1/vms/web01/backups", "{", 400),
            ("POST", "/v1/vms/missing/backups", nil, 404),
            ("POST", "/v1/vms/broken/backups", nil, 500),
            ("GET", "/nowhere", nil, 404),
            ("GET", "/v1/status", nil, 200),
            ("POST", "/v1/vms/web01/backups", nil, 202),
        ]
        try await withRunningServer { client in
            for exchange in exchanges {
                let reply = try await client.send(exchange.method, exchange.path, body: exchange.body)
                #expect(reply.status == exchange.status, "\(exchange.method) \(exchange.path)")
            }
        }
    }
}
