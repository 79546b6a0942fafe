import APIModel
import Foundation
import Logging
import Scheduling
import Testing

@testable import Engine

/// One scheduled VM whose backups are refused before they become tasks, and whose last backup
/// task, as the engine knows it, is `lastTask`.
private actor RefusingSchedule: ScheduleSource {
    let vm: ScheduledVM
    let lastTask: TaskResult?
    private(set) var attempts = 0

    init(_ vm: ScheduledVM, lastTask: TaskResult?) {
        self.vm = vm
        self.lastTask = lastTask
    }

    func scheduledVMs() async throws -> [ScheduledVM] { [vm] }
    /// Two days ago: the run of last night was missed, so one is due at start.
    func lastBackup(vmUUID: String, target: String) async -> Date? {
        ScheduledFailureTests.start.addingTimeInterval(-2 * 86_400)
    }
    func startScheduledBackup(vmUUID: String) async throws -> TaskInfo {
        attempts += 1
        throw EngineError(.agentUnavailable, "the guest agent of web01 does not answer", step: .plan)
    }
    func lastBackupTasks() async -> [String: TaskResult] {
        lastTask.map { [vm.uuid: $0] } ?? [:]
    }
}

@Suite(.timeLimit(.minutes(1))) struct ScheduledFailureTests {
    /// 2026-11-30 01:00:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_796_000_400)

    static func nightly() throws -> ScheduledVM {
        ScheduledVM(
            uuid: "uuid-web", name: "web01",
            policy: BackupPolicy(
                name: "nightly", schedule: try CalendarExpression("02:00", timeZone: TimeZone(identifier: "UTC")!)))
    }

    private func run(_ source: RefusingSchedule) async throws -> DaemonStatus.ScheduledVM? {
        let clock = ManualClock(start: Self.start)
        let scheduler = BackupScheduler(
            source: source, logger: Logger(label: "test"), refreshInterval: .seconds(30), clock: clock,
            now: { clock.date })
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }
        await clock.sleeping()
        #expect(await source.attempts == 1)
        return await scheduler.entries().first
    }

    @Test func aScheduledBackupRefusedBeforeItBecameATaskIsTheLastResult() async throws {
        let older = TaskResult(
            taskID: "t1", kind: "backup", state: .succeeded, finished: Self.start.addingTimeInterval(-86_400))
        let entry = try #require(try await run(RefusingSchedule(try Self.nightly(), lastTask: older)))
        let last = try #require(entry.lastBackupTask)
        #expect(last.taskID == nil)
        #expect(last.state == .failed)
        #expect(last.finished == Self.start)
        #expect(last.error?.code == .agentUnavailable)
        #expect(last.failedStep == "plan")
    }

    @Test func aTaskThatEndedAfterTheRefusalIsTheLastResult() async throws {
        let later = TaskResult(
            taskID: "t2", kind: "backup", state: .failed, finished: Self.start.addingTimeInterval(60),
            error: APIErrorInfo(.streamFailed, "read error"), failedStep: "stream")
        let entry = try #require(try await run(RefusingSchedule(try Self.nightly(), lastTask: later)))
        #expect(entry.lastBackupTask == later)
    }
}
