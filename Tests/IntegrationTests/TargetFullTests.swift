import APIModel
import Foundation
import Testing

/// A target whose filesystem fills up in the middle of a backup: the backup fails saying so,
/// nothing half-written is left or published, the guest is thawed and back on its images, the
/// backups already there are intact, and once there is room again the next backup succeeds.
extension Integration {
    @Suite struct TargetFullTests {
        @Test func aTargetThatFillsUpFailsTheBackupCleanlyAndKeepsWhatItHeld() throws {
            let guest = try TestGuest.make("tf-full", disks: [(32, "qcow2")], prefillMiB: 12)
            defer { guest.remove() }
            let original = try guest.diskSources()
            let target = try TestHost.makeWorkDirectory("tf-target")
            try Shell.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", target])
            defer {
                _ = try? Shell.run(["umount", "-l", target], check: false)
                try? FileManager.default.removeItem(atPath: target)
            }
            let daemon = try Daemon.start(targetDirectory: target)
            defer { daemon.stop() }

            let first = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(first.status == 0, "\(first.stderr)\n\(daemon.logText)")
            let kept = try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(first.stdout.utf8)).result)

            // Leave the target less room than the guest's data takes.
            try Shell.run(
                ["dd", "if=/dev/zero", "of=\(target)/filler", "bs=1M", "count=64", "status=none"], check: false)
            let full = try daemon.cli(["backup", guest.name, "--wait"])
            #expect(full.status != 0)
            #expect(full.stderr.contains("No space left on device"), "\(full.stderr)")
            #expect(full.stderr.split(separator: "\n").count <= 2, "a short, clear error: \(full.stderr)")
            #expect(daemon.targetEntries() == [kept.vmUUID + "/" + kept.id], "nothing partial is left or published")
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
            #expect(try guest.freezeStatus() == "thawed")
            #expect(try daemon.request("GET", "/v1/status").status == 200)

            try FileManager.default.removeItem(atPath: target + "/filler")
            try BackupImage.expectReadsBack(kept)
            let again = try daemon.cli(["backup", guest.name, "--wait"])
            #expect(again.status == 0, "with room again, the next backup succeeds: \(again.stderr)")
        }
    }
}
