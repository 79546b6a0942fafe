import APIModel
import Foundation
import Logging
import Scheduling

/// Tells a policy's webhook and mail addresses that a job ended. Each channel is tried on its
/// own, within a time limit; a channel that fails is logged and changes nothing else: the job's
/// result stands.
struct Notifier: Sendable {
    /// The program mail goes through, as `sendmail -t -oi`.
    var sendmailPath: String
    /// How long one channel may take, retries included.
    var timeout: Duration = .seconds(60)

    /// Whether `settings` asks to be told of a job that ended in `state`.
    static func wants(_ settings: NotificationSettings, _ state: TaskState) -> Bool {
        guard !settings.isEmpty else { return false }
        switch settings.occasion {
        case .always: return state.isFinished
        case .failure: return state == .failed || state == .cancelled
        }
    }

    /// Sends `notice` to every channel of `settings`, at once, and returns when each is done.
    func send(_ notice: JobNotice, to settings: NotificationSettings, logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            if let webhook = settings.webhook {
                group.addTask { await self.attempt("webhook", notice, logger) { try await post(notice, to: webhook) } }
            }
            if !settings.mailTo.isEmpty {
                group.addTask {
                    await self.attempt("mail", notice, logger) { try await mail(notice, to: settings.mailTo) }
                }
            }
        }
    }

    private func attempt(
        _ channel: String, _ notice: JobNotice, _ logger: Logger, _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            logger.info("notice sent", metadata: ["notify.channel": "\(channel)", "notify.event": "\(notice.event)"])
        } catch {
            logger.warning(
                "notice not sent; the job's result stands",
                metadata: [
                    "notify.channel": "\(channel)", "notify.event": "\(notice.event)", "error": "\(error)",
                ])
        }
    }

    /// POSTs the notice as JSON with curl: 15 s per try, two retries on transient failures; an
    /// answer of 400 or more counts as a failure.
    private func post(_ notice: JobNotice, to url: String) async throws {
        guard let curl = ExecutablePath.find("curl") else {
            throw NotificationCommand.Failure(description: "curl is not installed")
        }
        let body = try APIJSON.encoder().encode(notice)
        try await NotificationCommand.run(
            curl,
            [
                "--silent", "--show-error", "--fail", "--max-time", "15", "--retry", "2", "--retry-delay", "2",
                "--header", "Content-Type: application/json", "--header",
                "User-Agent: vmbackupd/\(BackupEngine.version)",
                "--data-binary", "@-", "--", url,
            ], input: body, timeout: timeout)
    }

    private func mail(_ notice: JobNotice, to recipients: [String]) async throws {
        try await NotificationCommand.run(
            sendmailPath, ["-t", "-oi"], input: Data(NoticeMail.message(notice, to: recipients).utf8),
            timeout: timeout)
    }
}
