import APIModel
import Foundation
import Logging
import Testing

@testable import Engine

/// Records the steps it is asked to do; fails or blocks where told.
private actor RecordingEffects: BackupEffects {
    var calls: [String] = []
    let failing: String?
    let blockInStream: Bool

    init(failing: String? = nil, blockInStream: Bool = false) {
        self.failing = failing
        self.blockInStream = blockInStream
    }

    private func step(_ name: String) throws {
        calls.append(name)
        if name == failing { throw APIErrorInfo(.internal, "\(name) broke") }
    }

    func prepareTarget() async throws { try step("prepareTarget") }
    func freeze() async throws { try step("freeze") }
    func snapshot() async throws { try step("snapshot") }
    func thaw() async throws {
        // Must run even though the job's task is cancelled.
        try await Task.sleep(for: .milliseconds(5))
        try step("thaw")
    }
    func stream() async throws {
        try step("stream")
        if blockInStream {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            throw CancellationError()
        }
    }
    func release() async throws {
        try await Task.sleep(for: .milliseconds(5))
        try step("release")
    }
    func publish(consistency: Consistency) async throws -> BackupSummary {
        try step("publish")
        return BackupSummary(
            id: "b", name: nil, vmName: "vm", vmUUID: "u", created: Date(), parent: nil, consistency: consistency,
            disks: [], location: "/x")
    }
    func discard() async { calls.append("discard") }
}

@Suite struct BackupJobRunnerTests {
    let setup = BackupJobStateMachine.Setup(quiesce: .preferred, domainRunning: true, agentAvailable: true)

    @Test func aSuccessfulRunPublishesTheBackup() async {
        let effects = RecordingEffects()
        let result = await BackupJobRunner(effects: effects, setup: setup, logger: Logger(label: "test")).run()
        #expect(result.outcome == .succeeded(.filesystem))
        #expect(result.backup?.consistency == .filesystem)
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "publish"])
    }

    @Test func aFailedStreamReleasesDiscardsAndReportsTheError() async {
        let effects = RecordingEffects(failing: "stream")
        let result = await BackupJobRunner(effects: effects, setup: setup, logger: Logger(label: "test")).run()
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "discard"])
        guard case .failed(let error) = result.outcome else {
            Issue.record("expected failure, got \(result.outcome)")
            return
        }
        #expect(error.message == "stream broke")
        #expect(result.backup == nil)
    }

    @Test func cancellingAStreamingJobStillReleasesItsSnapshots() async throws {
        let effects = RecordingEffects(blockInStream: true)
        let runner = BackupJobRunner(effects: effects, setup: setup, logger: Logger(label: "test"))
        let job = Task { await runner.run() }
        while await !effects.calls.contains("stream") { try await Task.sleep(for: .milliseconds(2)) }
        job.cancel()
        let result = await job.value
        #expect(result.outcome == .cancelled)
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "discard"])
    }
}
