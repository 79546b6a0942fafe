import APIModel
import Foundation
import Logging
import Scheduling
import Testing

@testable import Engine

/// One scheduled VM; records each backup the scheduler starts, and can say it is busy.
private actor FakeSchedule: ScheduleSource {
    var vm: ScheduledVM
    var last: Date?
    var busy = false
    private(set) var started: [String] = []
    private let startedInput: AsyncStream<String>.Continuation
    nonisolated let starts: AsyncStream<String>

    init(_ vm: ScheduledVM, last: Date? = nil) {
        self.vm = vm
        self.last = last
        (starts, startedInput) = AsyncStream.makeStream(of: String.self)
    }

    func setBusy(_ busy: Bool) { self.busy = busy }
    func setPolicy(_ policy: BackupPolicy) { vm.policy = policy }

    func scheduledVMs() async throws -> [ScheduledVM] { [vm] }
    func lastBackup(vmUUID: String, target: String) async -> Date? { last }
    func startScheduledBackup(vmUUID: String) async throws -> TaskInfo {
        if busy { throw EngineError(.vmBusy, "busy") }
        started.append(vmUUID)
        startedInput.yield(vmUUID)
        return TaskInfo(id: "t\(started.count)", kind: "backup", vm: vm.name, state: .queued, created: Date())
    }
}

@Suite(.timeLimit(.minutes(1))) struct BackupSchedulerTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-30 01:00:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_796_000_400)

    static func nightly(at time: String = "02:00") throws -> ScheduledVM {
        ScheduledVM(
            uuid: "uuid-web", name: "web01",
            policy: BackupPolicy(name: "nightly", schedule: try CalendarExpression(time, timeZone: utc)))
    }

    private func scheduler(_ source: FakeSchedule, clock: ManualClock) -> BackupScheduler {
        BackupScheduler(
            source: source, logger: Logger(label: "test"), refreshInterval: .seconds(30), clock: clock,
            now: { clock.date })
    }

    @Test func aBackupStartsWhenItsTimeComesAndNotBefore() async throws {
        let clock = ManualClock(start: Self.start)
        // Backed up at 00:30 today: nothing is missed, the next run is 02:00.
        let source = FakeSchedule(try Self.nightly(), last: Self.start.addingTimeInterval(-1800))
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }

        await clock.sleeping()
        #expect(await scheduler.entries().first?.nextRun == Self.start.addingTimeInterval(3600))
        // 59 minutes on, a refresh every 30 s: still nothing.
        for _ in 0..<118 {
            clock.advance(by: .seconds(30))
            await clock.sleeping()
        }
        #expect(await source.started == [])
        clock.advance(by: .seconds(60))
        var starts = source.starts.makeAsyncIterator()
        #expect(await starts.next() == "uuid-web")
        #expect(await scheduler.entries().first?.nextRun == Self.start.addingTimeInterval(3600 + 86_400))
    }

    @Test func aRunMissedWhileTheDaemonWasDownRunsOnceAtStart() async throws {
        let clock = ManualClock(start: Self.start)
        // The last backup is two days old: yesterday's 02:00 was missed.
        let source = FakeSchedule(try Self.nightly(), last: Self.start.addingTimeInterval(-2 * 86_400))
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }

        var starts = source.starts.makeAsyncIterator()
        #expect(await starts.next() == "uuid-web")
        await clock.sleeping()
        clock.advance(by: .seconds(30))
        await clock.sleeping()
        #expect(await source.started == ["uuid-web"], "once, not at every refresh")
    }

    @Test func aRunThatFindsTheVMBusyIsSkippedUntilTheNextOne() async throws {
        let clock = ManualClock(start: Self.start)
        let source = FakeSchedule(try Self.nightly(at: "*:00/10"), last: Self.start)
        await source.setBusy(true)
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }

        await clock.sleeping()
        clock.advance(by: .seconds(600))
        await clock.sleeping()
        #expect(await source.started == [], "skipped: busy")
        await source.setBusy(false)
        clock.advance(by: .seconds(600))
        var starts = source.starts.makeAsyncIterator()
        #expect(await starts.next() == "uuid-web")
    }

    @Test func aReloadThatAddsAScheduleStartsNoMissedRun() async throws {
        let clock = ManualClock(start: Self.start)
        // Backed up by hand two hours ago, no schedule yet.
        let source = FakeSchedule(
            ScheduledVM(uuid: "uuid-web", name: "web01", policy: BackupPolicy(name: "nightly")),
            last: Self.start.addingTimeInterval(-7200))
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }
        await clock.sleeping()

        // The reload adds an hourly schedule: an elapse fell since the last backup, but that is
        // no missed run; the first run is at the next hour.
        await source.setPolicy(
            BackupPolicy(name: "nightly", schedule: try CalendarExpression("hourly", timeZone: Self.utc)))
        await scheduler.refresh()
        clock.advance(by: .seconds(30))
        await clock.sleeping()
        #expect(await source.started == [])
        #expect(await scheduler.entries().first?.nextRun == Self.start.addingTimeInterval(3600))
    }
}
