import APIModel
import Catalog
import Foundation
import Logging
import Streaming
import Targets
import Testing

@testable import Engine

/// The verify job run by the runner: its task, and the verification it leaves in the catalog.
@Suite(.timeLimit(.minutes(1))) struct VerifyJobTests {
    private static let verifiedAt = Date(timeIntervalSince1970: 1_800_086_400)

    private struct Harness {
        let registry = TaskRegistry()
        let catalog: BackupCatalog
        let runner: JobRunner

        init() throws {
            catalog = try BackupCatalog.inMemory()
            runner = JobRunner(registry: registry, catalog: catalog, logger: Logger(label: "test"))
        }

        func recordBackup() async throws {
            try await catalog.record(
                StoredBackup(manifest: VerifyFixture.manifest, location: "/srv/backups/x"), target: "default")
        }

        /// Runs a verify over `effects` to its end.
        func verify(_ effects: FakeVerifyEffects, whileRunning: @Sendable (String) async -> Void = { _ in })
            async throws
            -> TaskInfo
        {
            let runner = Task { try await self.runner.run() }
            defer { runner.cancel() }
            let (info, _) = try await registry.reserve(vmName: "web01", vmUUID: VerifyFixture.vmUUID, kind: "verify")
            let job = VerifyJob(
                plan: VerifyFixture.plan, effects: effects, catalog: catalog, logger: Logger(label: "test"),
                now: { VerifyJobTests.verifiedAt })
            await self.runner.enqueue(
                JobRunner.Submission(
                    taskID: info.id, vmName: "web01", limits: [.host(1)], job: job, logger: Logger(label: "test")))
            await whileRunning(info.id)
            return try #require(await registry.finished(info.id))
        }

        var stored: CatalogBackup? {
            get async throws { try await catalog.backup(vmUUID: VerifyFixture.vmUUID, id: VerifyFixture.backupID) }
        }
    }

    @Test func aGoodBackupSucceedsAndIsRecordedAsVerified() async throws {
        let harness = try Harness()
        try await harness.recordBackup()

        let task = try await harness.verify(FakeVerifyEffects())

        #expect(task.kind == "verify")
        #expect(task.state == .succeeded, "\(String(describing: task.error))")
        let expected = Verification.passed(at: Self.verifiedAt, task: task.id)
        #expect(task.result?.verification == expected)
        #expect(task.resultURI == "/v1/vms/\(VerifyFixture.vmUUID)/backups/\(VerifyFixture.backupID)")
        #expect(task.progress == TaskProgress(doneBytes: 6 << 20, totalBytes: 6 << 20))
        #expect(try await harness.stored?.verification == expected)
    }

    @Test func aBadBackupFailsTheTaskWithVerifyFailedAndIsMarked() async throws {
        let harness = try Harness()
        try await harness.recordBackup()
        let effects = FakeVerifyEffects()
        var changed = VerifyFixture.vdaIndex
        changed.entries[0].digest = ChunkDigest(hashing: [0])
        await effects.change { [changed] in
            $0.readings["vda"] = .read(StreamResult(virtualSize: 4 << 20, storedBytes: 2 << 20, index: changed))
        }

        let task = try await harness.verify(effects)

        #expect(task.state == .failed)
        #expect(task.error?.code == .verifyFailed)
        let message = task.error?.message ?? ""
        #expect(message.contains("backup \(VerifyFixture.backupID) of VM web01 failed verification"), "\(message)")
        #expect(message.contains("disk vda: chunk 1 (offset 1048576)"), "\(message)")
        let verification = try #require(task.result?.verification)
        #expect(!verification.ok)
        #expect(verification.problem?.disk == "vda" && verification.problem?.offset == 1 << 20)
        #expect(try await harness.stored?.failedVerification == true)
    }

    @Test func aCancelledVerifyRecordsNothing() async throws {
        let harness = try Harness()
        try await harness.recordBackup()
        let effects = FakeVerifyEffects()
        let registry = harness.registry
        let (reading, readingStarted) = AsyncStream.makeStream(of: Void.self)
        let (proceed, letGo) = AsyncStream.makeStream(of: Void.self)
        await effects.change {
            $0.whileReading = { _ in
                readingStarted.yield()
                for await _ in proceed {}
            }
        }

        let task = try await harness.verify(effects) { id in
            for await _ in reading { break }
            _ = await registry.cancel(id)
            letGo.finish()
        }

        #expect(task.state == .cancelled)
        #expect(task.error?.code == .cancelled)
        #expect(try await harness.stored?.verification == nil)
    }

    @Test func aBackupDeletedWhileItWasVerifiedIsNotRecorded() async throws {
        let harness = try Harness()

        let task = try await harness.verify(FakeVerifyEffects())

        #expect(task.state == .failed)
        #expect(task.error?.code == .backupNotFound)
        #expect(task.error?.message.contains("deleted while it was verified") == true)
    }

    @Test func eachEndCountsUnderItsOwnResult() {
        #expect(VerifyMetrics.result(of: JobOutcome(.succeeded)) == "ok")
        #expect(VerifyMetrics.result(of: JobOutcome(.failed(EngineError(.verifyFailed, "bad")))) == "failed")
        #expect(VerifyMetrics.result(of: JobOutcome(.failed(EngineError(.backupNotFound, "gone")))) == "error")
        #expect(VerifyMetrics.result(of: JobOutcome(.cancelled)) == "cancelled")
    }
}
