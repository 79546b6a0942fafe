import APIModel
import Foundation
import Targets
import Testing

extension Integration {
    @Suite struct BackupShutOffGuestTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func aShutOffDomainIsBackedUpWithoutFreezeOrOverlay() throws {
            let guest = try TestGuest.make("shut-off", disks: [(64, "qcow2"), (32, "raw")], start: false)
            defer { guest.remove() }
            let sources = guest.disks.map {
                try? BackupImage.contentHash($0, format: $0.hasSuffix(".raw") ? "raw" : "qcow2")
            }
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let backup = try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8)).result)
            #expect(backup.consistency == .crash)
            let manifest = try Manifest.read(backup.location)
            for (index, target) in ["vda", "vdb"].enumerated() {
                let disk = try #require(manifest.disks.first(where: { $0.target == target }))
                #expect(disk.method == .offline)
                try BackupImage.expectMatchesIndex(backup.location, target: disk.target, digest: disk.digest)
                #expect(try BackupImage.contentHash(backup.location + "/" + (disk.file ?? "")) == sources[index])
            }
            #expect(try guest.strayFiles() == [])
            #expect(try TestHost.virsh(["domstate", guest.name]).stdout.contains("shut off"))
        }

        @Test func badInputOnTheSocketGetsClearErrorsAndTheDaemonKeepsServing() throws {
            // A shut-off domain with 256 MiB of data keeps a backup busy long enough to collide with.
            let guest = try TestGuest.make("socket", disks: [(512, "raw")], start: false)
            defer { guest.remove() }
            try Shell.run([
                "dd", "if=/dev/urandom", "of=\(guest.disks[0])", "bs=1M", "count=256", "conv=notrunc", "status=none",
            ])
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let unknown = try daemon.request("POST", "/v1/vms/vmbt-no-such-vm/backups", body: "{}")
            #expect(unknown.status == 404)
            #expect(try errorCode(unknown.body) == "vm_not_found")

            let malformed = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{\"quiesce\": ")
            #expect(malformed.status == 400)
            #expect(try errorCode(malformed.body) == "bad_request")

            let badPolicy = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: #"{"quiesce":"maybe"}"#)
            #expect(badPolicy.status == 400)

            let badDisk = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: #"{"disks":["vdz"]}"#)
            #expect(badDisk.status == 400)
            #expect(badDisk.body.contains("vdz"))

            let first = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            #expect(first.status == 202)
            let second = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            #expect(second.status == 409)
            #expect(try errorCode(second.body) == "vm_busy")
            let busyCLI = try daemon.cli(["backup", guest.name])
            #expect(busyCLI.status != 0 && busyCLI.stderr.contains("busy"), "\(busyCLI.stderr)")

            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(first.body.utf8))
            let done = try daemon.waitForTask(task.id)
            #expect(done.state == .succeeded, "\(String(describing: done.error))")
            #expect(done.progress.doneBytes == done.progress.totalBytes && done.progress.totalBytes == 512 << 20)

            let missingTask = try daemon.request("GET", "/v1/tasks/no-such-task")
            #expect(missingTask.status == 404)
            #expect(try daemon.request("GET", "/v1/status").status == 200)
            #expect(daemon.isRunning)

            let unknownCLI = try daemon.cli(["backup", "vmbt-no-such-vm", "--wait"])
            #expect(unknownCLI.status != 0)
            #expect(unknownCLI.stderr.contains("vmbt-no-such-vm"), "\(unknownCLI.stderr)")
        }

        @Test func backupsOfDifferentVMsRunConcurrently() throws {
            let first = try TestGuest.make("concurrent-a", disks: [(256, "raw")], start: false)
            defer { first.remove() }
            let second = try TestGuest.make("concurrent-b", disks: [(256, "raw")], start: false)
            defer { second.remove() }
            for guest in [first, second] {
                try Shell.run([
                    "dd", "if=/dev/urandom", "of=\(guest.disks[0])", "bs=1M", "count=192", "conv=notrunc",
                    "status=none",
                ])
            }
            let daemon = try Daemon.start()
            defer { daemon.stop() }

            let tasks = try [first, second].map { guest in
                let reply = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
                #expect(reply.status == 202)
                return try APIJSON.decoder().decode(TaskInfo.self, from: Data(reply.body.utf8))
            }
            let done = try tasks.map { try daemon.waitForTask($0.id) }
            #expect(done.allSatisfy { $0.state == .succeeded }, "\(done.map { $0.error?.message ?? "" })")
            let (a, b) = (done[0], done[1])
            let overlapped =
                (a.started ?? .distantFuture) < (b.finished ?? .distantPast)
                && (b.started ?? .distantFuture) < (a.finished ?? .distantPast)
            #expect(overlapped, "the two jobs ran one after the other")
        }

        @Test func theCLISaysClearlyWhenTheDaemonIsNotRunning() throws {
            let run = try Shell.run(
                [TestHost.binDirectory + "/vmbackup", "--socket", "/tmp/vmbt-nothing-here.sock", "status"], check: false
            )
            #expect(run.status != 0)
            #expect(run.stderr.contains("cannot reach vmbackupd"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }

        private func errorCode(_ body: String) throws -> String {
            try APIJSON.decoder().decode(APIErrorBody.self, from: Data(body.utf8)).error.code.rawValue
        }
    }
}
