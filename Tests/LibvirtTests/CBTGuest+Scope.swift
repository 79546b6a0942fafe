import Foundation
import Testing

extension CBTGuest {
    /// The guest of the running suite.
    @TaskLocal static var current: CBTGuest?

    /// Gives a suite one guest, `vmbt-cbt-<suffix>`, made before its first test and removed after
    /// its last. Suites run in parallel, so each names its own.
    static func shared(_ suffix: String) -> Scope { Scope(suffix: suffix) }

    struct Scope: SuiteTrait, TestScoping {
        let suffix: String
        var isRecursive: Bool { false }

        func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            let guest = try CBTGuest(suffix)
            defer { guest.tearDown() }
            try await CBTGuest.$current.withValue(guest) { try await function() }
        }
    }

    /// The suite's guest; fails the test when there is none.
    static func suiteGuest() throws -> CBTGuest {
        try #require(current, "the suite has no guest: add the CBTGuest.shared(_:) trait")
    }

    /// Deletes the daemon's checkpoints of the guest: a test ends with none, whatever failed.
    func deleteAllCheckpoints() {
        _ = try? domain.deleteOwnCheckpoints()
    }

    /// Waits up to `seconds` for the domain's backup job to be gone; returns whether it is.
    func waitForNoBackupJob(seconds: Double = 10) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while try domain.hasBackupJob() {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return true
    }
}
