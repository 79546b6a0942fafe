import Foundation
import Libvirt
import Testing

@testable import Snapshots

/// The verdict on an active commit from its progress readings, and the throttle it leads to.
struct CommitWatchTests {
    private static let mebibyte: UInt64 = 1 << 20

    /// Feeds one reading a second, `remaining[i]` left after `copiedPerSecond * i` copied; returns
    /// the first verdict and the second it came at.
    private func watch(
        remaining: [UInt64], copiedPerSecond: UInt64, convergence: CommitConvergence = CommitConvergence()
    ) -> (second: Int, verdict: NonConvergence)? {
        var watch = CommitWatch(convergence)
        for (second, left) in remaining.enumerated() {
            let cur = UInt64(second) * copiedPerSecond
            let sample = CommitSample(at: .seconds(second), cur: cur, end: cur + left)
            if let verdict = watch.record(sample) { return (second, verdict) }
        }
        return nil
    }

    @Test func aCommitWhoseRemainderShrinksConverges() {
        // 1 GiB left, copying 100 MiB/s while the guest dirties 20 MiB/s: 80 MiB/s closer each second.
        let remaining = (0...12).map { 1024 * Self.mebibyte - UInt64($0) * 80 * Self.mebibyte }
        #expect(watch(remaining: remaining, copiedPerSecond: 100 * Self.mebibyte) == nil)
    }

    @Test func aCommitWhoseRemainderStaysLevelDoesNotConvergeOnceTheWindowIsFull() throws {
        let remaining = [UInt64](repeating: 8 * Self.mebibyte, count: 30)
        let found = try #require(watch(remaining: remaining, copiedPerSecond: 2 * Self.mebibyte))
        #expect(found.second == 10)
        #expect(found.verdict.reason.contains("no less than"))
        #expect(found.verdict.copyRate == 2 * Self.mebibyte)
        #expect(found.verdict.dirtyRate == 2 * Self.mebibyte)
    }

    @Test func aGrowingRemainderGivesNoVerdictBeforeTheWindowIsFull() {
        let remaining = (0..<10).map { UInt64($0 + 1) * Self.mebibyte }
        #expect(watch(remaining: remaining, copiedPerSecond: Self.mebibyte) == nil)
    }

    @Test func aCommitThatComesCloserByLittleOfWhatItCopiesDoesNotConverge() throws {
        // 4 MiB left, shrinking by 16 KiB/s while it copies 2 MiB/s: it chases rewritten blocks.
        let remaining = (0...12).map { 4 * Self.mebibyte - UInt64($0) * 16 * 1024 }
        let found = try #require(watch(remaining: remaining, copiedPerSecond: 2 * Self.mebibyte))
        #expect(found.second == 10)
        #expect(found.verdict.reason.contains("rewrites most"))
        #expect(found.verdict.dirtyRate < found.verdict.copyRate)
    }

    @Test func aCommitThatWouldNotBeReadyBeforeThePatienceRunsOutDoesNotConverge() throws {
        // 100 GiB left, 1 GiB closer every 10 s: about 1000 s more.
        let remaining = (0...12).map { 100 * 1024 * Self.mebibyte - UInt64($0) * 100 * Self.mebibyte }
        let found = try #require(watch(remaining: remaining, copiedPerSecond: 110 * Self.mebibyte))
        #expect(found.second == 10)
        #expect(found.verdict.reason.contains("past 300"))
    }

    @Test func aCommitNotReadyAfterThePatienceDoesNotConvergeWhateverItsProgress() throws {
        var convergence = CommitConvergence()
        convergence.window = .seconds(60)
        convergence.patience = .seconds(20)
        let remaining = (0...30).map { 1024 * Self.mebibyte - UInt64($0) * Self.mebibyte }
        let found = try #require(watch(remaining: remaining, copiedPerSecond: Self.mebibyte, convergence: convergence))
        #expect(found.second == 20)
        #expect(found.verdict.reason.contains("not ready after"))
    }

    @Test func theWindowStartsAtTheNewestReadingAtLeastOneWindowOld() {
        var watch = CommitWatch(CommitConvergence())
        for tenth in 0...200 {
            let cur = UInt64(tenth) * Self.mebibyte
            _ = watch.record(CommitSample(at: .milliseconds(tenth * 100), cur: cur, end: cur + 1024 * Self.mebibyte))
        }
        #expect(watch.samples.first?.at == .seconds(10))
        #expect(watch.samples.count == 101)
    }

    @Test func theWriteLimitIsAQuarterOfTheSlowerRateAndNeverBelowTheMinimum() {
        let convergence = CommitConvergence()
        let chasing = NonConvergence(reason: "", copyRate: 40 * Self.mebibyte, dirtyRate: 8 * Self.mebibyte)
        #expect(chasing.writeLimit(convergence) == 2 * Self.mebibyte)
        let outrun = NonConvergence(reason: "", copyRate: 2 * Self.mebibyte, dirtyRate: 8 * Self.mebibyte)
        #expect(outrun.writeLimit(convergence) == Self.mebibyte / 2)
        let stalled = NonConvergence(reason: "", copyRate: 0, dirtyRate: 0)
        #expect(stalled.writeLimit(convergence) == convergence.minimumWriteLimit)
    }
}

/// Throttling a disk's writes for a pivot, and setting its limits back exactly.
struct WriteThrottleTests {
    private static let unlimited = BlockIoTune(limits: [
        "total_bytes_sec": 0, "read_bytes_sec": 0, "write_bytes_sec": 0, "write_iops_sec": 0,
        "write_bytes_sec_max": 0,
    ])

    @Test func aDiskWithoutLimitsGetsAWriteLimitAndNothingElse() {
        let throttled = Self.unlimited.limitingWrites(to: 1000)
        var expected = Self.unlimited
        expected["write_bytes_sec"] = 1000
        #expect(throttled == expected)
    }

    @Test func aLowerWriteLimitAlreadyThereStays() {
        var tune = Self.unlimited
        tune["write_bytes_sec"] = 500
        #expect(tune.limitingWrites(to: 1000) == tune)
        tune["write_bytes_sec"] = 5000
        #expect(tune.limitingWrites(to: 1000)["write_bytes_sec"] == 1000)
    }

    @Test func aDiskLimitedForReadsAndWritesTogetherHasThatLimitLowered() {
        // libvirt refuses a write limit beside a total one.
        var tune = Self.unlimited
        tune["total_bytes_sec"] = 10_000
        let throttled = tune.limitingWrites(to: 1000)
        #expect(throttled["total_bytes_sec"] == 1000)
        #expect(throttled["write_bytes_sec"] == 0)
    }

    @Test func undoingSetsEveryThrottledLimitBackIncludingNoLimit() {
        var original = Self.unlimited
        original["read_bytes_sec"] = 7000
        let throttled = original.limitingWrites(to: 1000)
        #expect(throttled.undoing(throttled, backTo: original) == original)
        #expect(throttled.undoing(throttled, backTo: original)["write_bytes_sec"] == 0)
    }

    @Test func undoingLeavesALimitChangedSinceTheThrottle() {
        let throttled = Self.unlimited.limitingWrites(to: 1000)
        var changed = throttled
        changed["write_bytes_sec"] = 3000
        #expect(changed.undoing(throttled, backTo: Self.unlimited) == changed)
    }

    @Test func theRecordRoundTripsThroughItsFile() throws {
        var original = Self.unlimited
        original.groupName = "shared"
        let record = ThrottleRecord(target: "vda", original: original, throttled: original.limitingWrites(to: 1000))
        let decoded = try JSONDecoder().decode(ThrottleRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
    }
}
