import APIModel
import Foundation
import Testing

@testable import vmbackup

@Suite("vmbackup vms")
struct VMTableTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func eachVMShowsHowItsLastBackupTaskEnded() {
        let failed = TaskResult(
            taskID: "5e2f", kind: "backup", state: .failed, finished: now,
            error: APIErrorInfo(.agentUnavailable, "the guest agent of db01 does not answer"), failedStep: "plan")
        let passed = TaskResult(taskID: "77aa", kind: "backup", state: .succeeded, finished: now)
        let text = VMTable.render([
            VMSummary(vmName: "db01", vmUUID: "u1", defined: true, backupCount: 1, lastBackupTask: failed),
            VMSummary(vmName: "web01", vmUUID: "u2", defined: true, backupCount: 2, lastBackupTask: passed),
            VMSummary(vmName: "new01", vmUUID: "u3", defined: true, backupCount: 0),
        ])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("LAST TASK") == true, "\(text)")
        #expect(lines[1].hasSuffix("failed (agent_unavailable)"), "\(text)")
        #expect(lines[2].hasSuffix("succeeded"), "\(text)")
        #expect(lines[3].hasSuffix("-"), "\(text)")
    }
}
