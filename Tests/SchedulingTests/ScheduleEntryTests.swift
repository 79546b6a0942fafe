import Foundation
import Testing

@testable import Scheduling

@Suite struct ScheduleEntryTests {
    private static let vm = "3f9a6c1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b"
    private let daily = try! CalendarExpression("*-*-* 02:00", timeZone: CalendarFixture.utc)

    private func entry(_ id: String = vm, delay: Duration) -> ScheduleEntry {
        ScheduleEntry(id: id, expression: daily, randomizedDelay: delay)
    }

    /// `00000000-0000-0000-0000-000000000042` for 42.
    private static func uuid(_ number: Int) -> String {
        let digits = String(number)
        return "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    @Test func theHashIsFNV1a64() {
        #expect(ScheduleEntry.fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(ScheduleEntry.fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(ScheduleEntry.fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
    }

    /// The value pins the algorithm: a change would move every VM's backup to another time of day.
    @Test func aVMsDelayIsFixedByItsUUID() {
        #expect(entry(delay: .seconds(3600)).fixedDelay == .microseconds(3_426_770_490))
        #expect(entry(Self.vm.uppercased(), delay: .seconds(3600)).fixedDelay == .microseconds(3_426_770_490))
    }

    @Test func delaysStayBelowTheBoundAndSpreadOverIt() {
        let bound = Duration.seconds(600)
        let delays = (0..<1000).map { entry(Self.uuid($0), delay: bound).fixedDelay }
        #expect(delays.allSatisfy { $0 >= .zero && $0 < bound })
        #expect(Set(delays).count == 1000)
        // VMs whose UUIDs differ only in the last digits still spread: each tenth of the window gets some.
        let tenths = Dictionary(grouping: delays) { Int($0.components.seconds / 60) }
        #expect(tenths.keys.sorted() == Array(0..<10))
        #expect(tenths.values.allSatisfy { (60...140).contains($0.count) })
    }

    @Test(arguments: [Duration.zero, .seconds(-5), .nanoseconds(500)])
    func noBoundMeansNoDelay(bound: Duration) {
        #expect(entry(delay: bound).fixedDelay == .zero)
    }

    @Test func theNextRunIsTheElapsePlusTheDelay() {
        let delayed = entry(delay: .seconds(3600))  // 57 min 6.77049 s
        let run = CalendarFixture.date("2025-01-15 02:57:06.77049")
        let nextDay = CalendarFixture.date("2025-01-16 02:57:06.77049")
        let next = SchedulePlanner.nextRun(for: delayed, after: CalendarFixture.date("2025-01-14 12:00:00"))
        #expect(abs(next!.timeIntervalSince(run)) < 1e-5)
        // Between the elapse and its delayed run, the run is still ahead.
        let pending = SchedulePlanner.nextRun(for: delayed, after: CalendarFixture.date("2025-01-15 02:10:00"))
        #expect(abs(pending!.timeIntervalSince(run)) < 1e-5)
        let after = SchedulePlanner.nextRun(for: delayed, after: run.addingTimeInterval(1))
        #expect(abs(after!.timeIntervalSince(nextDay)) < 1e-5)
    }

    @Test func withoutADelayTheNextRunIsTheNextElapse() {
        #expect(
            SchedulePlanner.nextRun(for: entry(delay: .zero), after: CalendarFixture.date("2025-01-15 02:00:00"))
                == CalendarFixture.date("2025-01-16 02:00:00"))
    }
}
