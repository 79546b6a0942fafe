import APIModel
import Foundation
import Logging
import Streaming
import Testing

@testable import Engine

/// Records the steps it is asked to do; fails or blocks where told. Thaw and release fail if they
/// run in a cancelled task, so a test sees whether the driver shields them.
private actor RecordingEffects: BackupEffects {
    var calls: [String] = []
    let failing: String?
    let failure: any Error
    let blockInStream: Bool
    /// What the blocked stream step throws once cancelled.
    let cancelledStream: any Error
    /// Yields once the stream step has begun.
    nonisolated let streaming: AsyncStream<Void>
    private let streamingInput: AsyncStream<Void>.Continuation
    /// Never yields: the stream step waits on it until its task is cancelled.
    private let forever = AsyncStream.makeStream(of: Void.self)

    init(
        failing: String? = nil, with failure: (any Error)? = nil, blockInStream: Bool = false,
        cancelledStream: any Error = StreamError.cancelled(disk: "vda", path: "/images/vda.qcow2")
    ) {
        self.failing = failing
        self.failure = failure ?? EngineError(.internal, "\(failing ?? "") broke")
        self.blockInStream = blockInStream
        self.cancelledStream = cancelledStream
        (streaming, streamingInput) = AsyncStream.makeStream(of: Void.self)
    }

    private func step(_ name: String) throws {
        calls.append(name)
        if name == failing { throw failure }
    }

    func prepareTarget() async throws { try step("prepareTarget") }
    func freeze() async throws { try step("freeze") }
    func snapshot() async throws { try step("snapshot") }
    func thaw() async throws {
        try Task.checkCancellation()
        try step("thaw")
    }
    func stream() async throws {
        try step("stream")
        if blockInStream {
            streamingInput.yield()
            for await _ in forever.stream {}
            throw cancelledStream
        }
    }
    func release() async throws {
        try Task.checkCancellation()
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

@Suite(.timeLimit(.minutes(1))) struct BackupJobDriverTests {
    let setup = BackupJobStateMachine.Setup(quiesce: .preferred, domainRunning: true, agentAvailable: true)

    @Test func aSuccessfulRunPublishesTheBackup() async {
        let effects = RecordingEffects()
        let result = await BackupJobDriver(effects: effects, setup: setup, logger: Logger(label: "test")).run()
        #expect(result.outcome == .succeeded(.filesystem))
        #expect(result.backup?.consistency == .filesystem)
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "publish"])
    }

    @Test func aFailedStreamReleasesDiscardsAndReportsTheError() async {
        let effects = RecordingEffects(failing: "stream")
        let result = await BackupJobDriver(effects: effects, setup: setup, logger: Logger(label: "test")).run()
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "discard"])
        guard case .failed(let error) = result.outcome else {
            Issue.record("expected failure, got \(result.outcome)")
            return
        }
        #expect(error.message == "stream broke")
        #expect(result.backup == nil)
    }

    /// Errors without a code of their own get the code of the step they came from, and keep the
    /// step, the VM and the cause as values.
    @Test(arguments: [
        ("prepareTarget", JobStep.prepare, APIErrorCode.targetFailed),
        ("snapshot", .snapshot, .snapshotFailed),
        ("stream", .stream, .streamFailed),
        ("release", .merge, .mergeFailed),
        ("publish", .publish, .targetFailed),
    ])
    func aFailureIsClassifiedByItsStep(failing: String, step: JobStep, code: APIErrorCode) async throws {
        struct Broken: Error {}
        let effects = RecordingEffects(failing: failing, with: Broken())
        let result = await BackupJobDriver(
            effects: effects, setup: setup, vmName: "web01", logger: Logger(label: "test")
        )
        .run()
        guard case .failed(let error) = result.outcome else {
            Issue.record("expected failure, got \(result.outcome)")
            return
        }
        #expect(error.code == code)
        #expect(error.step == step)
        #expect(error.vm == "web01")
        #expect(error.cause is Broken)
    }

    @Test func aStreamStoppedByCancellationIsCancelledNotFailed() async throws {
        let effects = RecordingEffects(blockInStream: true)
        let driver = BackupJobDriver(effects: effects, setup: setup, logger: Logger(label: "test"))
        let job = Task { await driver.run() }
        var streaming = effects.streaming.makeAsyncIterator()
        await streaming.next()
        job.cancel()
        let result = await job.value
        #expect(result.outcome == .cancelled)
        // Thaw and release ran although the job's task was cancelled: they are shielded.
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "discard"])
    }

    /// The cancel stops a step by a way of its own (a qemu-img killed, so "cannot read the
    /// size"): the job is still cancelled, not failed.
    @Test func aStepThatFailsBecauseOfTheCancelIsCancelledNotFailed() async throws {
        let killed = StreamError(.inspecting, disk: "", path: "/images/vda.qcow2", reason: "qemu-img signaled(9)")
        let effects = RecordingEffects(blockInStream: true, cancelledStream: killed)
        let driver = BackupJobDriver(effects: effects, setup: setup, logger: Logger(label: "test"))
        let job = Task { await driver.run() }
        var streaming = effects.streaming.makeAsyncIterator()
        await streaming.next()
        job.cancel()
        #expect(await job.value.outcome == .cancelled)
        #expect(await effects.calls == ["prepareTarget", "freeze", "snapshot", "thaw", "stream", "release", "discard"])
    }

    @Test func aJobCancelledBeforeItStartsChangesNothing() async {
        let effects = RecordingEffects()
        let driver = BackupJobDriver(effects: effects, setup: setup, logger: Logger(label: "test"))
        let job = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await driver.run()
        }
        #expect(await job.value.outcome == .cancelled)
        #expect(await effects.calls == [])
    }
}
