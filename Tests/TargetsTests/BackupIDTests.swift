import Foundation
import Testing

@testable import Targets

@Suite struct BackupIDTests {
    @Test func namesTheUTCSecondAndFourHexDigits() throws {
        let id = BackupID.generate(at: Date(timeIntervalSince1970: 1_795_311_000.75))
        let parts = id.rawValue.split(separator: "-")
        #expect(parts.count == 2)
        #expect(parts[0] == "20261122T013000Z")
        #expect(parts[1].count == 4)
        #expect(parts[1].allSatisfy { "0123456789abcdef".contains($0) })
        #expect(id.description == id.rawValue)
    }

    @Test func idsOfOneSecondDifferInTheirRandomPartOnly() {
        let date = Date(timeIntervalSince1970: 1_795_311_000)
        let ids = Set((0..<64).map { _ in BackupID.generate(at: date).rawValue })
        #expect(ids.count > 1)
        #expect(ids.allSatisfy { $0.hasPrefix("20261122T013000Z-") })
    }

    @Test func theNextIdOfAVMSortsAfterItsNewestEvenInTheSameSecond() throws {
        let date = Date(timeIntervalSince1970: 1_795_311_000)
        let first = try #require(BackupID(validating: "20261122T013000Z-0100"))
        let second = BackupID.generate(at: date, after: first)
        #expect(second > first)
        #expect(second.rawValue.hasPrefix("20261122T013000Z-"), "the same second while digits are left")
        var previous = try #require(BackupID(validating: "20261122T013000Z-fff0"))
        for _ in 0..<20 {
            let next = BackupID.generate(at: date, after: previous)
            #expect(next > previous, "\(next) after \(previous)")
            #expect(BackupID(validating: next.rawValue) == next)
            previous = next
        }
        #expect(previous.rawValue.hasPrefix("20261122T013001Z-"), "the digits ran out: the next second")
        let later = BackupID.generate(at: date.addingTimeInterval(5), after: previous)
        #expect(later.rawValue.hasPrefix("20261122T013005Z-"))
        #expect(BackupID.generate(at: date, after: nil).rawValue.hasPrefix("20261122T013000Z-"))
    }

    @Test func sortingIdsSortsByTime() {
        let dates = [1_900_000_000.0, 1_795_311_000, 1_800_000_000, 1_795_311_001].map(
            Date.init(timeIntervalSince1970:))
        let ids = dates.map { BackupID.generate(at: $0) }
        #expect(ids.sorted().map(\.date) == dates.sorted())
        #expect(ids.map(\.rawValue).sorted() == ids.sorted().map(\.rawValue))
    }

    @Test(arguments: [
        "20261122T013000Z-3f9", "20261122T013000Z-3f9ab", "20261122T013000Z_3f9a", "20261122 013000Z-3f9a",
        "20261130T246000Z-3f9a", "20260230T013000Z-3f9a", "2026112xT013000Z-3f9a", "20261122T013000Z-3f9g",
    ])
    func malformedIdsAreRejected(text: String) {
        #expect(BackupID(validating: text) == nil)
    }

    @Test func encodesAsItsStringAndRefusesMalformedOnes() throws {
        let id = try #require(BackupID(validating: "20261122T013000Z-3f9a"))
        let encoded = try JSONEncoder().encode([id])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"20261122T013000Z-3f9a\"]")
        #expect(try JSONDecoder().decode([BackupID].self, from: encoded) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([BackupID].self, from: Data("[\"x\"]".utf8)) }
    }
}
