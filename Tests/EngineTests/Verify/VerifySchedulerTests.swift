import APIModel
import Catalog
import Foundation
import Logging
import Scheduling
import Targets
import Testing

@testable import Engine

/// One VM with a verify schedule; records each run the scheduler starts, and can hold a run.
private actor FakeVerifySchedule: PolicyScheduleSource {
    let vm: ScheduledVM
    var last: Date?
    private(set) var runs: [Int] = []
    /// While set, a run waits until it is let go.
    var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    private let startedInput: AsyncStream<Int>.Continuation
    nonisolated let starts: AsyncStream<Int>

    init(_ vm: ScheduledVM, last: Date? = nil) {
        self.vm = vm
        self.last = last
        (starts, startedInput) = AsyncStream.makeStream(of: Int.self)
    }

    func hold(_ holding: Bool) {
        self.holding = holding
        if !holding {
            for waiter in held { waiter.resume() }
            held = []
        }
    }

    nonisolated var work: String { "verify" }
    func scheduledVMs() async throws -> [ScheduledVM] { [vm] }
    nonisolated func schedule(of policy: BackupPolicy) -> CalendarExpression? { policy.verifySchedule }
    func lastRun(vmUUID: String) async -> Date? { last }
    func run(_ vm: ScheduledVM) async {
        let reverifyAfterSeconds = vm.policy.reverifyAfterSeconds
        runs.append(reverifyAfterSeconds)
        startedInput.yield(reverifyAfterSeconds)
        if holding { await withCheckedContinuation { held.append($0) } }
    }
}

@Suite(.timeLimit(.minutes(1))) struct VerifySchedulerTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-30 01:00:00 UTC.
    static let start = Date(timeIntervalSince1970: 1_796_000_400)

    static func weekly(_ time: String = "03:00") throws -> ScheduledVM {
        ScheduledVM(
            uuid: "uuid-web", name: "web01",
            policy: BackupPolicy(
                name: "p", verifySchedule: try CalendarExpression(time, timeZone: utc), reverifyAfterSeconds: 7 * 86_400
            ))
    }

    private func scheduler(_ source: FakeVerifySchedule, clock: ManualClock) -> PolicyScheduler {
        PolicyScheduler(
            source: source, logger: Logger(label: "test"), refreshInterval: .seconds(30), clock: clock,
            now: { clock.date })
    }

    @Test func theDueBackupsAreVerifiedWhenTheScheduleFires() async throws {
        let clock = ManualClock(start: Self.start)
        let source = FakeVerifySchedule(try Self.weekly(), last: Self.start.addingTimeInterval(-600))
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }

        await clock.sleeping()
        #expect(await scheduler.nextRuns() == ["uuid-web": Self.start.addingTimeInterval(2 * 3600)])
        #expect(await source.runs == [])
        clock.advance(by: .seconds(2 * 3600))
        var starts = source.starts.makeAsyncIterator()
        #expect(await starts.next() == 7 * 86_400, "with the policy's reverify_after")
    }

    @Test func aRunMissedWhileTheDaemonWasDownRunsAtStart() async throws {
        let clock = ManualClock(start: Self.start)
        let source = FakeVerifySchedule(try Self.weekly(), last: Self.start.addingTimeInterval(-2 * 86_400))
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }

        var starts = source.starts.makeAsyncIterator()
        #expect(await starts.next() != nil)
    }

    @Test func aRunIsSkippedWhileTheLastOneIsStillGoing() async throws {
        let clock = ManualClock(start: Self.start)
        let source = FakeVerifySchedule(try Self.weekly("*:00/10"), last: Self.start)
        await source.hold(true)
        let scheduler = scheduler(source, clock: clock)
        let running = Task { try await scheduler.run() }
        defer { running.cancel() }
        var starts = source.starts.makeAsyncIterator()

        await clock.sleeping()
        clock.advance(by: .seconds(600))
        #expect(await starts.next() != nil)
        await clock.sleeping()
        clock.advance(by: .seconds(600))
        await clock.sleeping()
        #expect(await source.runs.count == 1, "the second run is skipped: the first still goes")

        await source.hold(false)
        clock.advance(by: .seconds(600))
        #expect(await starts.next() != nil)
    }
}

@Suite struct VerifyDueTests {
    private static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private static func backup(_ id: String, hoursAgo: Double, verifiedDaysAgo: Double?, ok: Bool = true)
        -> CatalogBackup
    {
        let created = now.addingTimeInterval(-hoursAgo * 3600)
        let manifest = Manifest(
            vmName: "web01", vmUUID: VerifyFixture.vmUUID, backupID: id, created: created, consistency: .crash,
            disks: [])
        let verification = verifiedDaysAgo.map {
            Verification(verified: now.addingTimeInterval(-$0 * 86_400), ok: ok)
        }
        return CatalogBackup(
            vmUUID: VerifyFixture.vmUUID, id: id, vmName: "web01", created: created, consistency: .crash,
            location: "/x", target: "default", manifest: manifest, verification: verification)
    }

    @Test func theBackupsNeverOrNotLatelyVerifiedAreDueOldestFirst() {
        let backups = [
            Self.backup("recent", hoursAgo: 1, verifiedDaysAgo: 1),
            Self.backup("never", hoursAgo: 2, verifiedDaysAgo: nil),
            Self.backup("stale", hoursAgo: 900, verifiedDaysAgo: 31),
            Self.backup("failed-lately", hoursAgo: 5, verifiedDaysAgo: 2, ok: false),
            Self.backup("exactly", hoursAgo: 800, verifiedDaysAgo: 30),
        ]

        let due = VerifyDue.backups(backups, now: Self.now, reverifyAfterSeconds: 30 * 86_400)

        #expect(due.map(\.id) == ["stale", "exactly", "never"])
    }
}
