import Catalog
import Foundation
import Testing

/// A VM's chain break: recorded before its disks change behind its backups, read when its next
/// backup chooses a level, cleared by a full.
@Suite struct ChainBreakTests {
    @Test func aBreakKeepsItsFirstReasonUntilCleared() async throws {
        let catalog = try BackupCatalog.inMemory()
        #expect(try await catalog.chainBreak(vmUUID: "u") == nil)

        try await catalog.recordChainBreak(vmUUID: "u", reason: "restored in place")
        try await catalog.recordChainBreak(vmUUID: "u", reason: "interrupted")

        #expect(try await catalog.chainBreak(vmUUID: "u") == "restored in place")
        #expect(try await catalog.chainBreak(vmUUID: "other") == nil)
        try await catalog.clearChainBreak(vmUUID: "u")
        #expect(try await catalog.chainBreak(vmUUID: "u") == nil)
    }
}
