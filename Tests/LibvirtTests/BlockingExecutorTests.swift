import Blocking
import Foundation
import Libvirt
import Testing

@Suite struct BlockingExecutorTests {
    @Test func runsTheBodyOffTheCallerAndReturnsItsResult() async throws {
        let executor = BlockingExecutor(threads: 1)
        let caller = ThreadIdentity.current
        let (value, body) = try await executor.run { (6 * 7, ThreadIdentity.current) }
        #expect(value == 42)
        #expect(body.thread != caller.thread, "the body ran on the calling thread")
        // NIOThreadPool names its threads TP-#0, TP-#1, ...; Swift's cooperative pool does not.
        #expect(body.name.hasPrefix("TP-#"), "the body ran on \(body.name), not on the executor's pool")
        let again = try await executor.run { ThreadIdentity.current }
        #expect(again.thread == body.thread, "a pool of one thread runs every body on that thread")
        await executor.shutdown()
    }

    @Test func rethrowsTheBodysError() async {
        let executor = BlockingExecutor(threads: 1)
        await #expect(throws: LibvirtError.self) {
            try await executor.run { throw LibvirtError(code: 1, domain: 0, message: "boom", call: "virTest") }
        }
        await executor.shutdown()
    }

    @Test func runsTheBodyEvenWhenTheCallingTaskIsCancelled() async throws {
        let executor = BlockingExecutor(threads: 1)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await executor.run { "ran" }
        }
        #expect(try await task.value == "ran")
        await executor.shutdown()
    }

    @Test func aCallThatDoesNotReturnInTimeIsGivenUpAndKeepsItsThread() async throws {
        let executor = BlockingExecutor(threads: 2)
        let started = ContinuousClock.now
        await #expect(throws: BlockingExecutorError.self) {
            try await executor.run(within: .milliseconds(200)) { usleep(1_500_000) }
        }
        #expect(ContinuousClock.now - started < .seconds(1), "the caller got its answer at the deadline")
        #expect(try await executor.run(within: .seconds(5)) { 42 } == 42, "a call in time returns its result")
        await #expect(throws: LibvirtError.self) {
            try await executor.run(within: .seconds(5)) {
                throw LibvirtError(code: 1, domain: 0, message: "boom", call: "virTest")
            }
        }
        await executor.shutdown()
    }
}

/// The thread a piece of code runs on: its pthread and its name, as the kernel has it
/// (`/proc/thread-self/comm`, where `pthread_setname_np` writes).
private struct ThreadIdentity: Sendable {
    var thread: pthread_t
    var name: String

    static var current: ThreadIdentity {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return ThreadIdentity(thread: pthread_self(), name: name.trimmingCharacters(in: .newlines))
    }
}
