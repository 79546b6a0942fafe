import Config
import Scheduling
import Testing

@Suite struct NotifyConfigTests {
    @Test func aPolicyNamesItsWebhookAndMailAndWhenToTell() throws {
        let config = try DaemonConfig.parse(
            """
            [daemon]
            sendmail = "/usr/local/bin/sendmail-stand-in"

            [policy.nightly]
            notify_webhook = "https://hooks.example.com/vmbackup?token=abc"
            notify_mail = ["ops@example.com", "oncall@example.org"]
            notify_on = "always"

            [policy.quiet]
            notify_mail = "ops@example.com"
            """, file: "n.toml")
        #expect(config.sendmailPath == "/usr/local/bin/sendmail-stand-in")
        #expect(
            config.policies["nightly"]?.notify
                == NotificationSettings(
                    webhook: "https://hooks.example.com/vmbackup?token=abc",
                    mailTo: ["ops@example.com", "oncall@example.org"], occasion: .always))
        #expect(config.policies["quiet"]?.notify == NotificationSettings(mailTo: ["ops@example.com"]))
        #expect(config.policies["quiet"]?.notify.occasion == .failure, "failures only, by default")
    }

    @Test(arguments: [
        ("notify_webhook = \"ftp://example.com/x\"", "n.toml:2: 'notify_webhook' must be an http:// or https:// URL"),
        ("notify_webhook = \"http://\"", "n.toml:2: 'notify_webhook' must be an http:// or https:// URL"),
        ("notify_mail = \"ops@example.com\\nBcc: x@y.z\"", "n.toml:2: 'notify_mail': \"ops@example.com\\nBcc: x@y.z\""),
        ("notify_mail = [\"a@b.c\", \"not an address\"]", "n.toml:2: 'notify_mail': \"not an address\" is not"),
        ("notify_mail = \"-oQ/tmp@x.y\"", "n.toml:2: 'notify_mail': \"-oQ/tmp@x.y\" is not a mail address"),
        ("notify_mail = 3", "n.toml:2: 'notify_mail' must be an address or a list of addresses"),
        ("notify_on = \"always\"", "n.toml:2: 'notify_on' needs notify_webhook or notify_mail"),
        ("notify_on = \"sometimes\"", "n.toml:2: 'notify_on' must be one of failure, always"),
    ])
    func aBadNotifySettingIsReportedAtItsLine(line: String, expected: String) {
        do {
            _ = try DaemonConfig.parse("[policy.p]\n\(line)\n", file: "n.toml")
            Issue.record("accepted: \(line)")
        } catch {
            #expect(error.issues.map(\.description).contains { $0.hasPrefix(expected) }, "\(error.issues)")
        }
    }
}
