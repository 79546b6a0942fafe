import APIModel
import Foundation
import Testing

@testable import vmbackup

@Suite("Progress without a terminal")
struct ProgressLogTests {
    func task(step: String?, done: UInt64, total: UInt64) -> TaskInfo {
        TaskInfo(
            id: "t1", kind: "backup", vm: "web01", state: .running, step: step, created: Date(),
            progress: TaskProgress(doneBytes: done, totalBytes: total))
    }

    @Test func theFirstLookPrintsALine() {
        var log = ProgressLog(period: .seconds(10))
        let line = log.line(for: task(step: "freezing", done: 0, total: 0), rate: nil, elapsed: .zero)
        #expect(line == "progress 0s: freezing")
    }

    @Test func aLineGivesPercentBytesRateAndStep() {
        let line = ProgressLog.render(
            step: "streaming vda", progress: TaskProgress(doneBytes: 45 << 20, totalBytes: 100 << 20),
            rate: 3 * 1_048_576, elapsed: .seconds(42))
        #expect(line == "progress 42s: streaming vda  45%  45.0 MiB / 100.0 MiB  3.0 MiB/s")
    }

    @Test func nothingNewWithinThePeriodPrintsNothing() {
        var log = ProgressLog(period: .seconds(10))
        let running = task(step: "streaming vda", done: 10, total: 1000)
        #expect(log.line(for: running, rate: nil, elapsed: .zero) != nil)
        #expect(log.line(for: running, rate: nil, elapsed: .seconds(3)) == nil)
        #expect(
            log.line(for: task(step: "streaming vda", done: 90, total: 1000), rate: nil, elapsed: .seconds(9)) == nil)
        #expect(log.line(for: running, rate: nil, elapsed: .seconds(10)) != nil)
    }

    @Test func everyTenPercentAndEveryNewStepPrintALine() {
        var log = ProgressLog(period: .seconds(600))
        #expect(log.line(for: task(step: "streaming vda", done: 0, total: 100), rate: nil, elapsed: .zero) != nil)
        #expect(log.line(for: task(step: "streaming vda", done: 9, total: 100), rate: nil, elapsed: .seconds(1)) == nil)
        #expect(
            log.line(for: task(step: "streaming vda", done: 10, total: 100), rate: nil, elapsed: .seconds(2)) != nil)
        #expect(
            log.line(for: task(step: "streaming vda", done: 15, total: 100), rate: nil, elapsed: .seconds(3)) == nil)
        #expect(log.line(for: task(step: "merging", done: 15, total: 100), rate: nil, elapsed: .seconds(4)) != nil)
    }

    @Test func theStyleFollowsTheTerminalAndTheVariable() {
        #expect(ProgressStyle.style(stderrIsTerminal: true, environment: [:]) == .redrawn)
        #expect(ProgressStyle.style(stderrIsTerminal: false, environment: [:]) == .lines(period: .seconds(10)))
        let variable = ProgressStyle.periodVariable
        #expect(
            ProgressStyle.style(stderrIsTerminal: false, environment: [variable: "2.5"])
                == .lines(period: .milliseconds(2500)))
        #expect(
            ProgressStyle.style(stderrIsTerminal: false, environment: [variable: "30s"]) == .lines(period: .seconds(30))
        )
        #expect(ProgressStyle.style(stderrIsTerminal: false, environment: [variable: "0"]) == ProgressStyle.none)
        #expect(
            ProgressStyle.style(stderrIsTerminal: false, environment: [variable: "soon"])
                == .lines(period: .seconds(10)))
    }
}
