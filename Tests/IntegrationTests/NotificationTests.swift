import APIModel
import Foundation
import Testing

extension Integration {
    /// A notification that cannot be sent is logged and changes nothing: the job's result stands.
    @Suite struct NotificationTests {
        @Test func aWebhookOrMailThatFailsLeavesTheBackupSucceeded() throws {
            let guest = try TestGuest.make("notify", disks: [(16, "raw")], start: false)
            defer { guest.remove() }
            let sendmail = try SendmailStandIn(exitStatus: 75)
            let daemon = try Daemon.start(
                config: """
                    [daemon]
                    sendmail = "\(sendmail.path)"

                    [policy.told]
                    notify_webhook = "http://127.0.0.1:1/nobody-listens"
                    notify_mail = ["ops@example.com"]
                    notify_on = "always"

                    [[vm]]
                    glob = "\(guest.name)"
                    policy = "told"
                    """)
            defer { daemon.stop() }

            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8))
            #expect(task.state == .succeeded)
            for _ in 0..<200 where daemon.logText.components(separatedBy: "notice not sent").count < 3 {
                usleep(100_000)
            }
            let log = daemon.logText
            #expect(log.components(separatedBy: "notice not sent; the job's result stands").count == 3, "\(log)")
            #expect(log.contains("sendmail exited with status 75"), "\(log)")
            #expect(sendmail.mails().count == 1, "handed over, then refused")
            let again = try APIJSON.decoder().decode(
                TaskInfo.self, from: Data(try daemon.request("GET", "/v1/tasks/\(task.id)").body.utf8))
            #expect(again.state == .succeeded)
        }
    }
}
