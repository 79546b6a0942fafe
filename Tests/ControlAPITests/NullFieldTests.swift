import APIModel
import Testing

/// A field is left out by leaving it out: `null` is refused with 400 naming the field, never read
/// as absent (found by make fuzz: `{"dryRun": null}` pruned for real).
@Suite("Null fields in request bodies")
struct NullFieldTests {
    @Test func aNullDryRunIsRefusedAndNothingIsPruned() async throws {
        let controller = FakeBackupController()
        try await withRunningServer(controller: controller) { client in
            let reply = try await client.send("POST", "/v1/vms/web01/prune", body: #"{"dryRun": null}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.code == .badRequest)
            #expect(reply.error?.message == "field 'dryRun' must be true or false, not null")
        }
        #expect(await controller.prunes.isEmpty)
    }

    @Test func aNullNameInAnUpdateIsRefusedNotTakenAsUnchanged() async throws {
        try await withRunningServer { client in
            let reply = try await client.send(
                "PUT", "/v1/vms/web01/backups/latest", body: #"{"name": null, "protected": true}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "field 'name' must be a string, not null")
        }
    }

    @Test func aNullFieldOfABackupRequestIsRefusedWithWhatItMustBe() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups", body: #"{"quiesce": null}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message == "field 'quiesce' must be one of required, preferred, off, not null")
        }
    }

    @Test func aNullFieldOfARestoreRequestOrOfOneOfItsDisksIsRefused() async throws {
        try await withRunningServer { client in
            let top = try await client.send("POST", "/v1/vms/web01/backups/latest/restore", body: #"{"to": null}"#)
            #expect(top.status == 400)
            #expect(top.error?.message == "field 'to' must be a string, not null")
            let disk = try await client.send(
                "POST", "/v1/vms/web01/backups/latest/restore",
                body: #"{"to": "/srv", "disks": [{"target": "vda", "backup": null}]}"#)
            #expect(disk.status == 400)
            #expect(disk.error?.message.hasPrefix("field 'disks[0].backup' must be") == true)
        }
    }

    @Test func aNullDiskOfAMountIsRefused() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("POST", "/v1/vms/web01/backups/latest/mount", body: #"{"disk": null}"#)
            #expect(reply.status == 400)
            #expect(reply.error?.message.hasSuffix("not null") == true)
        }
    }
}
