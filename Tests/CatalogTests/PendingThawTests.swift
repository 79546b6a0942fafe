import APIModel
import Catalog
import Foundation
import Testing

/// Guests that may still be frozen: recorded before a job goes on without their thaw, noted at
/// each background try, cleared when the agent says thawed; a file catalog keeps them across a
/// restart.
@Suite struct PendingThawTests {
    @Test func aPendingThawKeepsItsFirstRecordCountsTriesAndIsCleared() async throws {
        let catalog = try BackupCatalog.inMemory()
        #expect(try await catalog.pendingThaws() == [])
        let first = PendingThaw(
            vmName: "web01", vmUUID: "u1", since: Date(timeIntervalSince1970: 100), reason: "freeze unanswered")
        try await catalog.recordPendingThaw(first)
        var later = first
        later.reason = "thaw unanswered"
        later.since = Date(timeIntervalSince1970: 200)
        try await catalog.recordPendingThaw(later)
        try await catalog.recordPendingThaw(
            PendingThaw(vmName: "db01", vmUUID: "u2", since: Date(timeIntervalSince1970: 50), reason: "r"))

        try await catalog.notePendingThawAttempt(vmUUID: "u1", at: Date(timeIntervalSince1970: 300), error: "timeout")
        try await catalog.notePendingThawAttempt(vmUUID: "u1", at: Date(timeIntervalSince1970: 400), error: "lock")

        let thaws = try await catalog.pendingThaws()
        #expect(thaws.map(\.vmName) == ["db01", "web01"], "oldest first")
        let web = try #require(thaws.last)
        #expect(web.reason == "freeze unanswered" && web.since == Date(timeIntervalSince1970: 100))
        #expect(web.attempts == 2 && web.lastError == "lock" && web.lastAttempt == Date(timeIntervalSince1970: 400))

        try await catalog.clearPendingThaw(vmUUID: "u1")
        #expect(try await catalog.pendingThaws().map(\.vmName) == ["db01"])
    }

    @Test func aPendingThawSurvivesReopeningTheCatalog() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let catalog = try BackupCatalog(path: folder + "/catalog.sqlite")
            try await catalog.recordPendingThaw(
                PendingThaw(vmName: "web01", vmUUID: "u1", since: Date(), reason: "freeze unanswered"))
        }
        let reopened = try BackupCatalog(path: folder + "/catalog.sqlite")
        #expect(try await reopened.pendingThaws().map(\.vmUUID) == ["u1"])
    }
}
