import Foundation

/// The one thread every liblvm2cmd call runs on. lvm2cmd keeps process-wide state and is not
/// thread-safe, and its calls block (device scans, `lvcreate`), so they neither share a thread
/// with other work nor run on Swift's cooperative pool.
final class LVMThread: SerialExecutor, @unchecked Sendable {
    static let shared = LVMThread()

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "lvm2cmd"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty {
                condition.wait()
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
