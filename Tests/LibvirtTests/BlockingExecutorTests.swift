import Blocking
import Libvirt
import Testing

@Suite struct BlockingExecutorTests {
    @Test func runsTheBodyOffTheCallerAndReturnsItsResult() async throws {
        let executor = BlockingExecutor(threads: 1)
        let value = try await executor.run { 6 * 7 }
        #expect(value == 42)
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
}
