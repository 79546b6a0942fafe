import APIModel
import Foundation
import Logging
import Scheduling
import Testing

@testable import Engine

@Suite struct NotifierTests {
    static let failed = JobNotice(
        event: "backup.failed", host: "kvm1", vm: "web01", vmUUID: "4a2c7d1e-1111-2222-3333-444455556666",
        policy: "nightly", taskID: "t-1", kind: "backup", state: .failed, step: "streaming",
        error: APIErrorInfo(.targetFailed, "No space left on device"), backupID: nil, target: "default",
        started: Date(timeIntervalSince1970: 1_796_000_400), finished: Date(timeIntervalSince1970: 1_796_000_460))

    @Test func failuresAreToldByDefaultAndSuccessesOnlyWhenAskedFor() {
        let failures = NotificationSettings(webhook: "http://h/x")
        let always = NotificationSettings(mailTo: ["a@b.c"], occasion: .always)
        #expect(Notifier.wants(failures, .failed))
        #expect(Notifier.wants(failures, .cancelled))
        #expect(!Notifier.wants(failures, .succeeded))
        #expect(Notifier.wants(always, .succeeded))
        #expect(!Notifier.wants(always, .running))
        #expect(!Notifier.wants(NotificationSettings(occasion: .always), .failed), "nobody to tell")
    }

    @Test func theMailSaysWhatFailedWhereWhyAndAtWhichStep() {
        let mail = NoticeMail.message(Self.failed, to: ["ops@example.com", "b@example.org"])
        let (headers, body) = split(mail)
        #expect(headers.contains("To: ops@example.com, b@example.org"))
        #expect(headers.contains("Subject: [vmbackup] backup of web01 failed on kvm1: target_failed"))
        #expect(headers.contains("Auto-Submitted: auto-generated"))
        #expect(body.contains("It stopped at step: streaming."))
        #expect(body.contains("Error (target_failed): No space left on device"))
        #expect(body.contains("More: vmbackup task t-1"))
    }

    @Test func aNameCannotAddHeaders() {
        var notice = Self.failed
        notice.vm = "evil\nBcc: everyone@example.com"
        let (headers, _) = split(NoticeMail.message(notice, to: ["ops@example.com"]))
        #expect(!headers.contains { $0.hasPrefix("Bcc:") })
        notice.vm = "café"
        let (encoded, _) = split(NoticeMail.message(notice, to: ["ops@example.com"]))
        #expect(encoded.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
    }

    @Test func theMailGoesThroughSendmailWithTheNoticeOnItsInput() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let standIn = folder + "/sendmail"
        try "#!/bin/sh\necho \"$@\" > \(folder)/args\ncat > \(folder)/mail\n".write(
            toFile: standIn, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: standIn)
        let log = LogRecorder()
        await Notifier(sendmailPath: standIn).send(
            Self.failed, to: NotificationSettings(mailTo: ["ops@example.com"]), logger: log.logger)
        #expect(try String(contentsOfFile: folder + "/args", encoding: .utf8) == "-t -oi\n")
        let mail = try String(contentsOfFile: folder + "/mail", encoding: .utf8)
        #expect(mail.hasPrefix("To: ops@example.com\n"))
        #expect(log.messages.contains("notice sent"))
    }

    @Test func aChannelThatFailsOrHangsIsLoggedAndReturns() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let failing = folder + "/sendmail"
        try "#!/bin/sh\necho 'queue full' >&2\nexit 75\n".write(toFile: failing, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failing)
        let log = LogRecorder()
        await Notifier(sendmailPath: failing).send(
            Self.failed, to: NotificationSettings(webhook: "http://127.0.0.1:1/x", mailTo: ["a@b.c"]),
            logger: log.logger)
        let warnings = log.entries.filter { $0.message == "notice not sent; the job's result stands" }
        #expect(warnings.count == 2, "\(log.entries)")
        #expect(warnings.contains { $0.metadata["error"]?.contains("exited with status 75: queue full") == true })

        let hanging = folder + "/hang"
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: hanging, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hanging)
        let started = ContinuousClock.now
        let slow = LogRecorder()
        await Notifier(sendmailPath: hanging, timeout: .milliseconds(300)).send(
            Self.failed, to: NotificationSettings(mailTo: ["a@b.c"]), logger: slow.logger)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(slow.entries.contains { $0.metadata["error"]?.contains("did not finish") == true }, "\(slow.entries)")
    }

    private func split(_ mail: String) -> (headers: [String], body: String) {
        let parts = mail.components(separatedBy: "\n\n")
        return (parts[0].components(separatedBy: "\n"), parts.dropFirst().joined(separator: "\n\n"))
    }
}
