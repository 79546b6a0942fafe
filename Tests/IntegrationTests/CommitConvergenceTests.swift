import APIModel
import Foundation
import Testing

extension Integration {
    /// A guest that writes faster than the block commit copies: the daemon notices the commit does
    /// not converge, throttles the guest's writes to the disk for the pivot, pivots, and sets the
    /// disk's own limits back exactly, also after it was killed while the guest was throttled.
    /// The suite removes only its own guest.
    @Suite struct CommitConvergenceTests {
        /// The commit copies at 1 MiB/s (`VMBACKUPD_COMMIT_BANDWIDTH`), slower than the guest
        /// rewrites its file.
        static let commitBandwidth = 1 << 20

        @Test func aCommitTheGuestOutrunsIsPivotedWithItsWritesThrottledAndItsLimitsSetBack() throws {
            let guest = try TestGuest.make("cv-churn", disks: [(64, "qcow2")])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let root = try TestHost.makeWorkDirectory("daemon")
            // A 3 s window (10 s by default) notices the commit falling behind sooner.
            let environment = ["VMBACKUPD_COMMIT_BANDWIDTH": "\(Self.commitBandwidth)", "VMBACKUPD_COMMIT_WINDOW": "3"]
            let daemon = try Daemon.start(root: root, environment: environment)
            defer { daemon.stop() }
            let earlier = try Self.backUp(guest, with: daemon)

            // Limits of the administrator's own, which must come back as they were.
            _ = try TestHost.virsh([
                "blkdeviotune", guest.name, "vda", "--live", "--read-bytes-sec", "104857600", "--write-iops-sec",
                "5000",
            ])
            let limits = try Self.limits(of: guest)
            #expect(limits["write_bytes_sec"] == 0 && limits["read_bytes_sec"] == 104_857_600, "\(limits)")

            let writer = try Self.startWriting(guest)
            defer { _ = try? guest.runInGuest("touch /run/stop") }
            let accepted = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(accepted.body.utf8))
            // Watch the disk's write limit from outside while the backup runs.
            var throttledTo: [Int] = []
            var info = task
            let started = Date()
            while !info.state.isFinished && Date().timeIntervalSince(started) < 120 {
                let write = try Self.limits(of: guest)["write_bytes_sec"] ?? 0
                if write > 0 && throttledTo.last != write { throttledTo.append(write) }
                let (_, body) = try daemon.request("GET", "/v1/tasks/\(task.id)")
                info = try APIJSON.decoder().decode(TaskInfo.self, from: Data(body.utf8))
                usleep(200_000)
            }
            #expect(try guest.guestStatus(writer) == nil, "the guest wrote all along")

            #expect(info.state == .succeeded, "\(info.error?.message ?? "")\n\(daemon.logText)")
            #expect(!throttledTo.isEmpty, "the guest's writes were throttled for the pivot")
            #expect(throttledTo.allSatisfy { $0 < Self.commitBandwidth }, "\(throttledTo)")
            #expect(daemon.logText.contains("commit not converging, throttling vda writes to"), "\(daemon.logText)")
            #expect(daemon.logText.contains("restored vda's write limits"))
            #expect(try Self.limits(of: guest) == limits, "the disk's own limits are back, \"no limit\" included")
            #expect(try guest.diskSources() == original, "the guest runs on its own image")
            #expect(try guest.strayFiles() == [], "no overlay and no throttle record is left")
            let backup = try #require(info.result)
            try BackupImage.expectReadsBack(backup)

            // Killed while the guest is throttled, the daemon sets the limits back at its next start.
            _ = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            var throttled = false
            for _ in 0..<600 where !throttled {
                throttled = (try Self.limits(of: guest)["write_bytes_sec"] ?? 0) > 0
                if !throttled { usleep(50_000) }
            }
            daemon.signal(SIGKILL)
            #expect(throttled && daemon.waitForExit(seconds: 10), "\(daemon.logText)")
            #expect(try Self.limits(of: guest) != limits, "the kill left the guest throttled")
            let left = try guest.strayFiles()
            #expect(left.contains { $0.hasSuffix(".overlay.throttle") }, "the throttle is recorded: \(left)")
            try guest.runInGuest("touch /run/stop")
            let written = try guest.waitInGuest(writer, timeoutSeconds: 30)
            #expect(Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 3)

            let recovered = try Daemon.start(root: daemon.detach())
            defer { recovered.stop() }
            #expect(try Self.limits(of: guest) == limits, "\(recovered.logText)")
            #expect(recovered.logText.contains("setting back the write limits an interrupted pivot left"))
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
            try BackupImage.expectReadsBack(earlier)
            try BackupImage.expectReadsBack(backup)
            #expect(try recovered.request("GET", "/v1/status").status == 200)
        }

        /// Starts the guest rewriting 1 MiB of /mnt/vda in place, syncing each time, until
        /// /run/stop exists (a few MiB/s under emulation, more than the commit copies); returns
        /// once it has written three times. The command prints how often it wrote.
        private static func startWriting(_ guest: TestGuest) throws -> Int {
            let writer = try guest.startInGuest(
                """
                n=0; while [ ! -e /run/stop ]; do
                dd if=/dev/urandom of=/mnt/vda/churn bs=64k count=16 conv=notrunc,fsync 2>/dev/null
                n=$((n+1)); echo $n > /run/rounds; done
                echo $n
                """)
            var rounds = 0
            for _ in 0..<100 where rounds < 3 {
                let text = (try? guest.runInGuest("cat /run/rounds 2>/dev/null || echo 0")) ?? ""
                rounds = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                if rounds < 3 { usleep(100_000) }
            }
            #expect(rounds >= 3, "the guest writes before the backup starts")
            return writer
        }

        /// One backup through the CLI; its summary.
        private static func backUp(_ guest: TestGuest, with daemon: Daemon) throws -> BackupSummary {
            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            return try #require(task.result)
        }

        /// `virsh blkdeviotune --live` of vda, by name.
        private static func limits(of guest: TestGuest) throws -> [String: Int] {
            let text = try TestHost.virsh(["blkdeviotune", guest.name, "vda", "--live"]).stdout
            var limits: [String: Int] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, let value = Int(parts[1]) { limits[parts[0]] = value }
            }
            return limits
        }
    }
}
