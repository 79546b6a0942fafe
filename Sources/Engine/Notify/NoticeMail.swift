import APIModel
import Foundation

/// A notice as a mail for `sendmail -t -oi`: the headers (recipients from `To:`), then a plain
/// text body that says what ended, where, why, and how to look closer.
enum NoticeMail {
    static func message(_ notice: JobNotice, to recipients: [String]) -> String {
        var lines = [
            "To: " + recipients.joined(separator: ", "),
            "Subject: " + headerText(subject(notice)),
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
            "X-Vmbackup-Event: " + headerText(notice.event),
            "X-Vmbackup-Task: " + headerText(notice.taskID),
            "",
        ]
        lines += body(notice)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[vmbackup] backup of web01 failed on host1: target_failed`.
    static func subject(_ notice: JobNotice) -> String {
        var text = "[vmbackup] \(notice.kind) of \(notice.vm) \(notice.state.rawValue) on \(notice.host)"
        if notice.state != .succeeded, let code = notice.error?.code { text += ": \(code.rawValue)" }
        return text
    }

    static func body(_ notice: JobNotice) -> [String] {
        var lines = ["The \(notice.kind) of VM \(notice.vm) on host \(notice.host) \(notice.state.rawValue)."]
        if let step = notice.step { lines.append("It stopped at step: \(step).") }
        if let error = notice.error { lines += ["", "Error (\(error.code.rawValue)): \(error.message)"] }
        lines.append("")
        lines.append("VM:      \(notice.vm)" + (notice.vmUUID.map { " (\($0))" } ?? ""))
        lines.append("Task:    \(notice.taskID)")
        lines.append("Policy:  \(notice.policy)")
        if let backup = notice.backupID { lines.append("Backup:  \(backup)") }
        if let target = notice.target { lines.append("Target:  \(target)") }
        let format = Date.ISO8601FormatStyle()
        if let started = notice.started { lines.append("Started: \(started.formatted(format))") }
        if let finished = notice.finished { lines.append("Ended:   \(finished.formatted(format))") }
        lines += ["", "More: vmbackup task \(notice.taskID)"]
        return lines
    }

    /// A header value on one line: control characters become spaces; text that is not ASCII is
    /// encoded as RFC 2047 UTF-8 words.
    static func headerText(_ text: String) -> String {
        let flat = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        guard !flat.allSatisfy(\.isASCII) else { return flat }
        return "=?UTF-8?B?" + Data(flat.utf8).base64EncodedString() + "?="
    }
}
