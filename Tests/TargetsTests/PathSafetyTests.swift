import Foundation
import Testing

@testable import Targets

@Suite struct PathSafetyTests {
    @Test(arguments: [
        "", ".", "..", "a/b", "/etc", "../x", ".partial-x", ".hidden", "a\0b", "line\nbreak", "tab\there",
        String(repeating: "x", count: 256),
    ])
    func unsafeNamesAreRefused(name: String) {
        #expect(!PathSafety.isSafeComponent(name))
    }

    @Test(arguments: [
        "vda", "sdb", "8ab696c5-9e01-4a5c-9d6c-2e471893e57f", "20261122T013000Z-3f9a", "web 01", "ünïcode",
        String(repeating: "x", count: 255),
    ])
    func ordinaryNamesAreAccepted(name: String) {
        #expect(PathSafety.isSafeComponent(name))
    }

    @Test func backupIDsSortByTimeAndValidate() throws {
        let early = BackupID.generate(at: Date(timeIntervalSince1970: 1_795_311_000))
        let late = BackupID.generate(at: Date(timeIntervalSince1970: 1_795_311_001))
        #expect(early.rawValue.hasPrefix("20261122T013000Z-"))
        #expect(early < late)
        #expect(BackupID(validating: early.rawValue) == early)
        #expect(early.date == Date(timeIntervalSince1970: 1_795_311_000))
        for bad in [
            "", "20261122T013000Z", "20261122T013000Z-3F9A", "20261322T013000Z-3f9a", "../20261122T013000Z-3f9a",
        ] {
            #expect(BackupID(validating: bad) == nil, "\(bad)")
        }
    }
}
