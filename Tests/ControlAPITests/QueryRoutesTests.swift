import APIModel
import Testing

@Suite("Tasks, backups and status")
struct QueryRoutesTests {
    @Test func aStartedTaskCanBeRead() async throws {
        try await withRunningServer { client in
            let started = try await client.send("POST", "/v1/vms/web01/backups")
            let location = try #require(started.headers["location"])
            let reply = try await client.send("GET", location)
            #expect(reply.status == 200)
            #expect(try reply.decode(TaskInfo.self).id == started.decode(TaskInfo.self).id)
        }
    }

    @Test func anUnknownTaskIs404TaskNotFound() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/tasks/T99")
            #expect(reply.status == 404)
            #expect(reply.error?.code == .taskNotFound)
        }
    }

    @Test func tasksListsEveryTask() async throws {
        try await withRunningServer { client in
            _ = try await client.send("POST", "/v1/vms/web01/backups")
            _ = try await client.send("POST", "/v1/vms/db01/backups")
            let reply = try await client.send("GET", "/v1/tasks")
            #expect(try reply.decode([TaskInfo].self).map(\.vm) == ["web01", "db01"])
        }
    }

    @Test func deleteCancelsTheTask() async throws {
        try await withRunningServer { client in
            _ = try await client.send("POST", "/v1/vms/web01/backups")
            let reply = try await client.send("DELETE", "/v1/tasks/T1")
            #expect(reply.status == 200)
            #expect(try reply.decode(TaskInfo.self).state == .cancelled)
        }
    }

    @Test func backupsAreListedAndReadOneByOne() async throws {
        try await withRunningServer { client in
            let list = try await client.send("GET", "/v1/vms/web01/backups")
            let expected = [FakeBackupController.backup(vm: "web01"), FakeBackupController.incremental(vm: "web01")]
            #expect(try list.decode([BackupSummary].self) == expected)
            let one = try await client.send("GET", "/v1/vms/web01/backups/20261123T013000Z-77aa")
            #expect(try one.decode(BackupSummary.self) == FakeBackupController.incremental(vm: "web01"))
            let missing = try await client.send("GET", "/v1/vms/web01/backups/nope")
            #expect(missing.status == 404)
            #expect(missing.error?.code == .backupNotFound)
        }
    }

    @Test func statusReportsTheDaemon() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/v1/status")
            #expect(reply.status == 200)
            let status = try reply.decode(DaemonStatus.self)
            #expect(status.version == "0.0.0-test")
            #expect(status.started == FakeBackupController.created)
            #expect(status.schedule.map(\.policy) == ["nightly"])
            #expect(status.schedule.first?.lastRun == nil)
        }
    }

    @Test func metricsAreServedInPrometheusTextFormat() async throws {
        try await withRunningServer { client in
            let reply = try await client.send("GET", "/metrics")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(
                String(decoding: reply.body, as: UTF8.self).contains(#"vmbackup_backups_total{result="succeeded"} 2"#))
        }
    }
}
