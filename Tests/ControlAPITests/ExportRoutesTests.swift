import APIModel
import Testing

@Suite("The export endpoints: POST .../mount, GET and DELETE /v1/exports")
struct ExportRoutesTests {
    static let mountPath = "/v1/vms/web01/backups/\(FakeBackupController.fullID)/mount"

    @Test func aMountAnswers201WithTheExportAndItsLocation() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", Self.mountPath, body: #"{"disk":"vda"}"#)
            #expect(reply.status == 201)
            let export = try reply.decode(ExportSummary.self)
            #expect(export.disk == "vda")
            #expect(export.backupID == FakeBackupController.fullID)
            #expect(export.uri == "nbd+unix:///?socket=" + export.socket)
            #expect(reply.headers["location"] == "/v1/exports/\(export.id)")
        }
    }

    @Test func anEmptyBodyMountsTheOnlyDisk() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups/latest/mount")
            #expect(reply.status == 201)
            let export = try reply.decode(ExportSummary.self)
            #expect(export.disk == "vda")
            #expect(export.backupID == FakeBackupController.incrementalID)
        }
    }

    @Test func aDiskTheBackupLacksIsABadRequestListingItsDisks() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", Self.mountPath, body: #"{"disk":"vdz"}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message.contains("its stored disks: vda") == true)
        }
    }

    @Test func anUnknownFieldIsABadRequestNamingIt() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", Self.mountPath, body: #"{"disks":["vda"]}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "unknown field 'disks' (known: disk)")
        }
    }

    @Test func aDiskThatIsNotAStringIsABadRequestSayingWhatItMustBe() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", Self.mountPath, body: #"{"disk":3}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == #"field 'disk' must be a disk's target dev, a string: "vda""#)
        }
    }

    @Test func aMountOfAMissingBackupIs404() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups/nope/mount")
            #expect(reply.status == 404)
            #expect(reply.error?.code == .backupNotFound)
        }
    }

    @Test func theExportsAreListed() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/exports")
            #expect(reply.status == 200)
            #expect(try reply.decode([ExportSummary].self).map(\.id) == [FakeBackupController.exportID])
        }
    }

    @Test func oneExportIsShownAndStopped() async throws {
        try await withRunningServer { client in
            let shown = try await client.send("GET", "/v1/exports/\(FakeBackupController.exportID)")
            #expect(shown.status == 200)
            let stopped = try await client.send("DELETE", "/v1/exports/\(FakeBackupController.exportID)")
            #expect(stopped.status == 200)
            #expect(try stopped.decode(ExportSummary.self).id == FakeBackupController.exportID)
        }
    }

    @Test func anUnknownExportIs404ExportNotFound() async throws {
        try await withRunningServer { client in
            for method in ["GET", "DELETE"] {
                let reply = try await client.send(method, "/v1/exports/ffffffff")
                #expect(reply.status == 404)
                #expect(reply.error?.code == .exportNotFound)
            }
        }
    }

    @Test func aWrongMethodOnAnExportIs405() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("PUT", "/v1/exports/\(FakeBackupController.exportID)")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"]?.contains("DELETE") == true)
        }
    }
}
