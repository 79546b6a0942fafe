import Foundation
import Scheduling
import Testing

/// The planner with a manual clock: every `now` is an explicit date.
@Suite struct SchedulePlannerTests {
    private static let utc = CalendarFixture.utc
    private let dailyAtTwo = ScheduleEntry(id: "vm-a", expression: try! CalendarExpression("02:00", timeZone: utc))
    private let hourly = ScheduleEntry(id: "vm-b", expression: try! CalendarExpression("hourly", timeZone: utc))
    private let start = CalendarFixture.date("2025-01-15 10:00:00")

    private func date(_ text: String) -> Date { CalendarFixture.date(text) }

    @Test func aVMNeverRunBeforeWaitsForItsFirstElapse() {
        var planner = SchedulePlanner(entries: [dailyAtTwo], lastRuns: [:], startedAt: start)
        let decision = planner.due(at: start)
        #expect(decision.due.isEmpty)
        #expect(decision.nextWake == date("2025-01-16 02:00:00"))
    }

    @Test func runsMissedDuringDowntimeAreCaughtUpOnceAtStart() {
        var planner = SchedulePlanner(
            entries: [dailyAtTwo], lastRuns: ["vm-a": date("2025-01-12 02:00:05")], startedAt: start)
        let decision = planner.due(at: start)
        // Three elapses were missed (13th, 14th, 15th): one run, planned for the first of them.
        #expect(
            decision.due == [ScheduledRun(entry: dailyAtTwo, plannedAt: date("2025-01-13 02:00:00"), isMissed: true)])
        #expect(decision.nextWake == date("2025-01-16 02:00:00"))
        #expect(planner.due(at: start.addingTimeInterval(60)).due.isEmpty)
    }

    @Test func aVMThatRanAtItsLastElapseIsNotDueAtStart() {
        var planner = SchedulePlanner(
            entries: [dailyAtTwo], lastRuns: ["vm-a": date("2025-01-15 02:00:07")], startedAt: start)
        let decision = planner.due(at: start)
        #expect(decision.due.isEmpty)
        #expect(decision.nextWake == date("2025-01-16 02:00:00"))
    }

    @Test func aRestartBetweenAnElapseAndItsDelayedRunKeepsTheRun() {
        // This VM's delay within an hour is 57 min 6.77049 s.
        let delayed = ScheduleEntry(
            id: "3f9a6c1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b", expression: dailyAtTwo.expression,
            randomizedDelay: .seconds(3600))
        let restart = date("2025-01-15 02:10:00")
        var planner = SchedulePlanner(
            entries: [delayed], lastRuns: [delayed.id: date("2025-01-14 02:57:08")], startedAt: restart)
        #expect(planner.due(at: restart).due.isEmpty)
        let run = date("2025-01-15 02:57:06.77049")
        #expect(abs(planner.nextWake!.timeIntervalSince(run)) < 1e-5)
        let decision = planner.due(at: run.addingTimeInterval(0.001))
        #expect(decision.due.map(\.isMissed) == [false])
    }

    @Test func dueRunsComeEarliestFirstAndTheDaemonSleepsUntilTheNextOne() {
        var planner = SchedulePlanner(
            entries: [hourly, dailyAtTwo],
            lastRuns: ["vm-a": date("2025-01-14 02:00:00"), "vm-b": date("2025-01-15 09:00:00")], startedAt: start)
        #expect(planner.plannedRun(for: "vm-a") == date("2025-01-15 02:00:00"))
        #expect(planner.plannedRun(for: "vm-b") == date("2025-01-15 10:00:00"))
        let decision = planner.due(at: start)
        #expect(decision.due.map(\.entry.id) == ["vm-a", "vm-b"])
        #expect(decision.due.map(\.isMissed) == [true, false])
        #expect(decision.nextWake == date("2025-01-15 11:00:00"))
        #expect(planner.due(at: date("2025-01-15 11:00:00")).due.map(\.entry.id) == ["vm-b"])
    }

    @Test func wakingLateRunsOnceNotOncePerElapseSleptThrough() {
        var planner = SchedulePlanner(entries: [hourly], lastRuns: [:], startedAt: start)
        #expect(planner.due(at: start).nextWake == date("2025-01-15 11:00:00"))
        let decision = planner.due(at: date("2025-01-15 15:30:00"))
        #expect(decision.due == [ScheduledRun(entry: hourly, plannedAt: date("2025-01-15 11:00:00"), isMissed: false)])
        #expect(decision.nextWake == date("2025-01-15 16:00:00"))
    }

    @Test func aReloadKeepsUnchangedPlansAndReplansChangedOnes() throws {
        var planner = SchedulePlanner(
            entries: [dailyAtTwo, hourly], lastRuns: ["vm-a": date("2025-01-15 02:00:00")], startedAt: start)
        let weekly = ScheduleEntry(id: "vm-a", expression: try CalendarExpression("weekly", timeZone: Self.utc))
        let added = ScheduleEntry(id: "vm-c", expression: try CalendarExpression("daily", timeZone: Self.utc))
        planner.replaceEntries([weekly, hourly, added], at: date("2025-01-15 10:30:00"))
        #expect(planner.entries.map(\.id) == ["vm-a", "vm-b", "vm-c"])
        #expect(planner.plannedRun(for: "vm-a") == date("2025-01-20 00:00:00"))  // from the reload
        #expect(planner.plannedRun(for: "vm-b") == date("2025-01-15 11:00:00"))  // kept
        #expect(planner.plannedRun(for: "vm-c") == date("2025-01-16 00:00:00"))  // never run: waits
        planner.replaceEntries([hourly], at: date("2025-01-15 10:40:00"))
        #expect(planner.entries == [hourly])
        #expect(planner.plannedRun(for: "vm-a") == nil)
    }

    @Test func aReloadStartsNoMissedRunOfAScheduleItAddsOrChanges() throws {
        var planner = SchedulePlanner(
            entries: [dailyAtTwo], lastRuns: ["vm-a": date("2025-01-15 02:00:00")], startedAt: start)
        let hourlyA = ScheduleEntry(id: "vm-a", expression: hourly.expression)
        let addedB = ScheduleEntry(id: "vm-b", expression: hourly.expression)
        let reload = date("2025-01-15 10:30:00")
        // vm-b last ran at 07:00: at start that would be a missed run; at a reload it is not.
        planner.replaceEntries([hourlyA, addedB], lastRuns: ["vm-b": date("2025-01-15 07:00:00")], at: reload)
        let decision = planner.due(at: reload)
        #expect(decision.due.isEmpty)
        #expect(planner.plannedRun(for: "vm-a") == date("2025-01-15 11:00:00"))
        #expect(planner.plannedRun(for: "vm-b") == date("2025-01-15 11:00:00"))
        #expect(planner.due(at: date("2025-01-15 11:00:00")).due.map(\.isMissed) == [false, false])
    }

    @Test func anEntryThatNeverElapsesAgainIsNeverDue() throws {
        let past = ScheduleEntry(id: "vm-a", expression: try CalendarExpression("2024-06-01 12:00", timeZone: Self.utc))
        var planner = SchedulePlanner(
            entries: [past], lastRuns: ["vm-a": date("2024-01-01 00:00:00")], startedAt: start)
        // Its one elapse was missed: caught up once, then never again.
        #expect(planner.due(at: start).due.map(\.isMissed) == [true])
        let decision = planner.due(at: date("2030-01-01 00:00:00"))
        #expect(decision.due.isEmpty)
        #expect(decision.nextWake == nil)
    }

    @Test func aLastRunInTheFutureCountsAsNow() {
        var planner = SchedulePlanner(
            entries: [dailyAtTwo], lastRuns: ["vm-a": date("2025-02-01 02:00:00")], startedAt: start)
        #expect(planner.due(at: start).due.isEmpty)
        #expect(planner.nextWake == date("2025-01-16 02:00:00"))
    }
}
