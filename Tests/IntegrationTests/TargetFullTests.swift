import APIModel
import Foundation
import Testing

/// A target whose filesystem fills up in the middle of a backup: the backup fails saying so,
/// nothing half-written is left or published, the guest is thawed and back on its images, the
/// backups already there are intact, and once there is room again the next backup succeeds. The
/// policy's webhook and mail are told of each ending, the failure with its error and step.
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
            let webhook = try WebhookListener()
            let sendmail = try SendmailStandIn()
            let daemon = try Daemon.start(
                config: """
                    [daemon]
                    sendmail = "\(sendmail.path)"

                    [policy.watched]
                    notify_webhook = "\(webhook.url)"
                    notify_mail = "ops@example.com"
                    notify_on = "always"

                    [[vm]]
                    name = "\(guest.name)"
                    policy = "watched"
                    """, targetDirectory: target)
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
            let errorLines = full.stderr.split(separator: "\n").filter { !$0.hasPrefix("progress ") }
            #expect(errorLines.count <= 2, "a short, clear error: \(full.stderr)")
            #expect(daemon.targetEntries() == [kept.vmUUID + "/" + kept.id], "nothing partial is left or published")
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
            #expect(try guest.freezeStatus() == "thawed")
            #expect(try daemon.request("GET", "/v1/status").status == 200)

            try FileManager.default.removeItem(atPath: target + "/filler")
            try BackupImage.expectReadsBack(kept)
            let again = try daemon.cli(["backup", guest.name, "--wait"])
            #expect(again.status == 0, "with room again, the next backup succeeds: \(again.stderr)")

            // Told of each ending, in order; the failure with what failed, where and why.
            let notices = try webhook.waitForNotices(3)
            #expect(notices.map(\.notice.event) == ["backup.succeeded", "backup.failed", "backup.succeeded"])
            #expect(notices.allSatisfy { $0.contentType == "application/json" })
            let failure = try #require(notices.dropFirst().first?.notice)
            #expect(failure.vm == guest.name && failure.policy == "watched" && failure.kind == "backup")
            #expect(failure.error?.message.contains("No space left on device") == true, "\(failure)")
            // No room even for the image's first blocks: the step that opens them, or the copy.
            #expect(["prepare", "stream"].contains(failure.step ?? ""), "\(failure)")
            #expect(notices.first?.notice.backupID == kept.id)
            let tasks = try APIJSON.decoder().decode(
                [TaskInfo].self, from: Data(daemon.request("GET", "/v1/tasks").body.utf8))
            #expect(tasks.first { $0.state == .failed }?.id == failure.taskID)
            for _ in 0..<100 where sendmail.mails().count < 3 { usleep(100_000) }
            let mails = sendmail.mails()
            #expect(mails.count == 3)
            let failed = mails.dropFirst().first ?? ""
            #expect(failed.contains("Subject: [vmbackup] backup of \(guest.name) failed on "), "\(failed)")
            #expect(failed.contains("No space left on device") && failed.contains("To: ops@example.com"))
        }
    }
}
