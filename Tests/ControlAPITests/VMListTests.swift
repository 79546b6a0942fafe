import APIModel
import Foundation
import Testing

@Suite("GET /v1/vms")
struct VMListTests {
    @Test func answers200WithEveryVMTheControllerKnows() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"] == "application/json")
            #expect(try reply.decode([VMSummary].self) == FakeBackupController.vms)
        }
    }

    @Test func theWireFormatNamesEveryField() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms")
            let objects = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]])
            let gone = try #require(objects.first)
            #expect(
                Set(gone.keys) == [
                    "vmName", "vmUUID", "defined", "backupCount", "latestBackupID", "latestBackupCreated",
                    "storedBytes",
                ])
            #expect(gone["defined"] as? Bool == false)
            #expect(gone["latestBackupCreated"] as? String == "2026-11-18T11:06:40.000Z")
        }
    }

    @Test func aVMWithoutBackupsLeavesTheLatestOut() throws {
        let data = try APIJSON.encoder().encode(VMSummary(vmName: "new01", vmUUID: "u", defined: true, backupCount: 0))
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"backupCount":0,"defined":true,"storedBytes":0,"vmName":"new01","vmUUID":"u"}"#)
    }

    @Test func otherMethodsAre405NamingGET() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"] == "GET")
            #expect(reply.error?.code == .methodNotAllowed)
        }
    }

    @Test func aQueryParameterIsABadRequest() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/vms?defined=true")
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown query parameter 'defined' (this path takes none)")
        }
    }
}
