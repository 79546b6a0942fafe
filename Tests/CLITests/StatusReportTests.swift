import APIModel
import Foundation
import Testing

@testable import vmbackup

@Suite("vmbackup status")
struct StatusReportTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func report(_ schedule: [DaemonStatus.ScheduledVM]) -> StatusReport {
        let status = DaemonStatus(
            version: "0.1.0", started: now.addingTimeInterval(-3600), libvirtURI: "qemu:///system",
            targetDirectory: "/var/lib/vmbackup/backups", runningTasks: 0, queuedTasks: 0, schedule: schedule)
        return StatusReport(status: status, now: now)
    }

    func entry(_ name: String, lastRun: Date?, last: TaskResult?) -> DaemonStatus.ScheduledVM {
        DaemonStatus.ScheduledVM(
            vmName: name, vmUUID: "uuid-\(name)", policy: "minutely", schedule: "*-*-* *:*:00",
            nextRun: now.addingTimeInterval(30), lastRun: lastRun, lastBackupTask: last)
    }

    @Test func aFailedLastRunShowsWhenAndWhy() {
        let failure = TaskResult(
            taskID: "5e2f", kind: "backup", state: .failed, finished: now.addingTimeInterval(-125),
            error: APIErrorInfo(.agentUnavailable, "the guest agent of db01 does not answer"), failedStep: "plan")
        let text = report([entry("db01", lastRun: nil, last: failure)]).rendered()
        #expect(text.contains("failed 2m ago"))
        #expect(
            text.contains(
                "last backups that failed:\n  db01: failed 2m ago at step plan (task 5e2f): "
                    + "the guest agent of db01 does not answer (agent_unavailable)\n"))
    }

    @Test func aRefusedStartWithoutTaskOrStepStillShows() {
        let failure = TaskResult(
            taskID: nil, kind: "backup", state: .failed, finished: now.addingTimeInterval(-10),
            error: APIErrorInfo(.targetFailed, "no room"))
        let text = report([entry("db01", lastRun: now.addingTimeInterval(-86_400), last: failure)]).rendered()
        #expect(text.contains("  db01: failed 10s ago: no room (target_failed)\n"))
    }

    @Test func aSuccessAfterTheFailureShowsTheBackupsTime() {
        let failure = TaskResult(
            taskID: "t1", kind: "backup", state: .failed, finished: now.addingTimeInterval(-7200),
            error: APIErrorInfo(.streamFailed, "read error"))
        let lastRun = now.addingTimeInterval(-60)
        let text = report([entry("web01", lastRun: lastRun, last: failure)]).rendered()
        #expect(text.contains(DisplayDate.format(lastRun)))
        #expect(!text.contains("failed"))
    }

    @Test func theScheduleFitsInAHundredColumns() {
        let failure = TaskResult(
            taskID: "t1", kind: "backup", state: .failed, finished: now.addingTimeInterval(-3),
            error: APIErrorInfo(.freezeFailed, "x"))
        let text = report([entry("webserver-production-01", lastRun: nil, last: failure)]).rendered()
        let tableLines = text.split(separator: "\n").drop { !$0.hasPrefix("schedule:") }.prefix(3)
        #expect(tableLines.count == 3)
        for line in tableLines { #expect(line.count <= 100, "\(line)") }
    }

    @Test func oldDaemonsStatusWithoutTheFieldStillDecodes() throws {
        let json = """
            {"version":"0.1.0","started":"2026-11-22T01:30:00.000Z","libvirtURI":"qemu:///system",
             "targetDirectory":"/b","runningTasks":0,"queuedTasks":0,"active":[],
             "schedule":[{"vmName":"a","vmUUID":"u","policy":"p","schedule":"daily"}]}
            """
        let status = try APIJSON.decoder().decode(DaemonStatus.self, from: Data(json.utf8))
        #expect(status.schedule.first?.lastBackupTask == nil)
    }

    @Test func durationsReadShort() {
        #expect(ElapsedTime.format(0) == "0s")
        #expect(ElapsedTime.format(192) == "3m12s")
        #expect(ElapsedTime.format(7500) == "2h05m")
        #expect(ElapsedTime.ago(now.addingTimeInterval(-90_000), now: now) == "1d ago")
    }
}
