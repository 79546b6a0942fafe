import APIModel
import Catalog
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@testable import Engine

/// A job that reports when it started, then waits until it is cancelled (or let go) and records
/// its cleanup, without sleeping.
private struct WaitingJob: Job {
    static let kind = "backup"
    let started: AsyncStream<String>.Continuation
    let release: AsyncStream<Void>
    let log: EventLog

    func run(_ context: JobContext) async -> JobOutcome {
        await log.append("run \(context.taskID)")
        started.yield(context.taskID)
        for await _ in release {}
        let cancelled = Task.isCancelled
        // Cleanup that must run to the end even though the job was cancelled.
        await Task.detached { await log.append("cleanup \(context.taskID)") }.value
        return JobOutcome(cancelled ? .cancelled : .succeeded)
    }
}

/// A job that enters many steps and checks after each that the registry shows that very step.
private struct SteppingJob: Job {
    static let kind = "backup"
    let steps: Int
    let mismatches: EventLog

    func run(_ context: JobContext) async -> JobOutcome {
        for index in 0..<steps {
            await context.enter("step \(index)")
            let shown = await context.registry.info(context.taskID)?.step
            if shown != "step \(index)" { await mismatches.append("expected step \(index), saw \(shown ?? "nil")") }
        }
        return JobOutcome(.succeeded)
    }
}

/// A job that ends at once with what it says it left behind.
private struct LeavingJob: Job {
    static let kind = "backup"
    let leftBehind: [String]

    func run(_ context: JobContext) async -> JobOutcome {
        JobOutcome(
            leftBehind.isEmpty ? .succeeded : .failed(EngineError(.mergeFailed, "merge failed")), leftBehind: leftBehind
        )
    }
}

private actor EventLog {
    private(set) var events: [String] = []
    func append(_ event: String) { events.append(event) }
}

private struct Harness {
    let registry = TaskRegistry()
    let runner: JobRunner
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobrunner-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let catalog = try BackupCatalog(path: directory + "/catalog.sqlite")
        runner = JobRunner(registry: registry, catalog: catalog, logger: Logger(label: "test"))
    }

    func submit(_ job: any Job, vm: String, limits: [SlotLimit] = [.host(1)]) async throws -> String {
        let (info, _) = try await registry.reserve(vmName: vm, vmUUID: "uuid-\(vm)", kind: "backup")
        await runner.enqueue(
            JobRunner.Submission(taskID: info.id, vmName: vm, limits: limits, job: job, logger: Logger(label: "test")))
        return info.id
    }

    /// Waits until the task has finished (the suite's time limit bounds the wait).
    func finished(_ id: String) async throws -> TaskInfo {
        try #require(await registry.finished(id))
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite(.timeLimit(.minutes(1))) struct JobRunnerTests {
    @Test func aCancelThatArrivesWhileTheJobIsPlannedIsHonoured() async throws {
        let harness = try Harness()
        defer { harness.cleanUp() }
        let log = EventLog()
        let (started, startedInput) = AsyncStream.makeStream(of: String.self)
        let (release, _) = AsyncStream.makeStream(of: Void.self)
        let runner = Task { try await harness.runner.run() }
        defer { runner.cancel() }

        // The task exists (reserved) but its job is not queued yet: planning is under way.
        let (info, _) = try await harness.registry.reserve(vmName: "web", vmUUID: "uuid-web", kind: "backup")
        #expect(await harness.registry.cancel(info.id), "a task being planned can be cancelled")
        await harness.runner.enqueue(
            JobRunner.Submission(
                taskID: info.id, vmName: "web", limits: [.host(1)],
                job: WaitingJob(started: startedInput, release: release, log: log), logger: Logger(label: "test")))

        let finished = try await harness.finished(info.id)
        #expect(finished.state == .cancelled)
        #expect(finished.error?.code == .cancelled)
        #expect(await log.events.isEmpty, "the job never ran")
        startedInput.finish()
        _ = started
    }

    @Test func stepReportsReachTheRegistryInOrder() async throws {
        let harness = try Harness()
        defer { harness.cleanUp() }
        let mismatches = EventLog()
        let runner = Task { try await harness.runner.run() }
        defer { runner.cancel() }

        let id = try await harness.submit(SteppingJob(steps: 200, mismatches: mismatches), vm: "web")
        let finished = try await harness.finished(id)

        #expect(finished.state == .succeeded)
        #expect(await mismatches.events == [])
    }

    @Test func aQueuedJobCancelledBeforeItsSlotFreesNeverRuns() async throws {
        let harness = try Harness()
        defer { harness.cleanUp() }
        let log = EventLog()
        let (started, startedInput) = AsyncStream.makeStream(of: String.self)
        let (firstRelease, letFirstGo) = AsyncStream.makeStream(of: Void.self)
        let (secondRelease, _) = AsyncStream.makeStream(of: Void.self)
        let runner = Task { try await harness.runner.run() }
        defer { runner.cancel() }

        let first = try await harness.submit(
            WaitingJob(started: startedInput, release: firstRelease, log: log), vm: "a")
        var starts = started.makeAsyncIterator()
        #expect(await starts.next() == first)
        let second = try await harness.submit(
            WaitingJob(started: startedInput, release: secondRelease, log: log), vm: "b")
        #expect(await harness.registry.info(second)?.state == .queued)

        #expect(await harness.registry.cancel(second))
        #expect(try await harness.finished(second).state == .cancelled)
        let kept = try await harness.runner.catalog.task(id: second)
        #expect(kept?.state == .cancelled, "a cancelled task is kept in the catalog too")
        letFirstGo.finish()
        #expect(try await harness.finished(first).state == .succeeded)
        #expect(await log.events == ["run \(first)", "cleanup \(first)"])
    }

    @Test(arguments: [[], ["VM web may still run on overlay /images/vda.qcow2.vmbackup-x.overlay"]])
    func theJournalEntryIsClosedUnlessTheJobLeftSomethingBehind(leftBehind: [String]) async throws {
        let harness = try Harness()
        defer { harness.cleanUp() }
        let runner = Task { try await harness.runner.run() }
        defer { runner.cancel() }
        let (info, _) = try await harness.registry.reserve(vmName: "web", vmUUID: "uuid-web", kind: "backup")
        try await harness.runner.catalog.journal(
            JournalEntry(
                jobID: info.id, vmUUID: "uuid-web", vmName: "web", backupID: "20261130T010000Z-aaaa",
                target: "default", targetDirectory: harness.directory, disks: []))

        await harness.runner.enqueue(
            JobRunner.Submission(
                taskID: info.id, vmName: "web", limits: [.host(1)], job: LeavingJob(leftBehind: leftBehind),
                logger: Logger(label: "test")))
        _ = try await harness.finished(info.id)

        let open = try await harness.runner.catalog.journalEntries()
        if leftBehind.isEmpty {
            #expect(open.isEmpty)
        } else {
            #expect(open.map(\.jobID) == [info.id])
            #expect(open.first?.problem == leftBehind.joined(separator: "; "))
        }
    }

    @Test func gracefulShutdownCancelsEveryJobAndWaitsForItsCleanup() async throws {
        let harness = try Harness()
        defer { harness.cleanUp() }
        let log = EventLog()
        let (started, startedInput) = AsyncStream.makeStream(of: String.self)
        let (release, _) = AsyncStream.makeStream(of: Void.self)

        try await testGracefulShutdown { trigger in
            let runner = Task { try await harness.runner.run() }
            let running = try await harness.submit(
                WaitingJob(started: startedInput, release: release, log: log), vm: "a", limits: [.host(2)])
            var starts = started.makeAsyncIterator()
            #expect(await starts.next() == running)
            let queued = try await harness.submit(
                WaitingJob(started: startedInput, release: release, log: log), vm: "b", limits: [.host(1)])

            trigger.triggerGracefulShutdown()
            try await runner.value

            // run() returned only after the running job had cleaned up.
            #expect(await log.events == ["run \(running)", "cleanup \(running)"])
            #expect(await harness.registry.info(running)?.state == .cancelled)
            #expect(await harness.registry.info(queued)?.state == .cancelled)
        }
    }

    @Test func aJobStoppedBecauseItsVMWasUndefinedCleansUpAndEndsFailedWithTheReason() async throws {
        let harness = try Harness()
        defer { harness.cleanUp() }
        let log = EventLog()
        let (started, startedInput) = AsyncStream.makeStream(of: String.self)
        let (release, _) = AsyncStream.makeStream(of: Void.self)
        let runner = Task { try await harness.runner.run() }
        defer { runner.cancel() }

        let id = try await harness.submit(WaitingJob(started: startedInput, release: release, log: log), vm: "web")
        var starts = started.makeAsyncIterator()
        #expect(await starts.next() == id)
        #expect(await harness.registry.unfinished(vmUUID: "uuid-web", kind: "backup") == [id])
        let reason = EngineError(.vmNotFound, "VM web was undefined during the backup", vm: "web")
        #expect(await harness.registry.stop(id, because: reason))

        let finished = try await harness.finished(id)
        #expect(finished.state == .failed)
        #expect(finished.error == APIErrorInfo(.vmNotFound, "VM web was undefined during the backup"))
        #expect(await log.events == ["run \(id)", "cleanup \(id)"], "the job cleaned up before it ended")
        #expect(await harness.registry.unfinished(vmUUID: "uuid-web", kind: "backup") == [])
        #expect(await !harness.registry.stop(id, because: reason), "a finished task is not stopped again")
    }
}
