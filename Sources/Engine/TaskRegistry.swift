import APIModel
import Foundation

/// Every task the daemon knows of, and which VMs are busy.
///
/// A VM is busy from the moment its backup is accepted until its job has finished, cleanup
/// included; a second backup of a busy VM is refused with `vm_busy`. A job that does not need
/// the VM to itself (a verify reads a stored backup only) holds a key of its own instead: one
/// verify per backup at a time.
actor TaskRegistry {
    private struct Entry {
        var info: TaskInfo
        let progress: ProgressCounter
        /// What the task keeps busy until it finishes: its VM's UUID, or a key of its own.
        let busyKey: String
        var job: Task<Void, Never>?
        /// A cancel that came before the job was attached (while it was planned): honoured the
        /// moment it is.
        var cancelRequested = false
        /// Why the task was stopped, when not at a user's request: it then ends failed with this
        /// error rather than cancelled.
        var stopReason: EngineError?
        /// The step a failed task failed at.
        var failedStep: JobStep?
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    /// The task holding each busy key (a VM's UUID, for backups).
    private var busy: [String: String] = [:]
    /// Those who wait for a task to finish, by task id.
    private var finishWaiters: [String: [CheckedContinuation<TaskInfo?, Never>]] = [:]

    /// Registers a queued task for `vmUUID`, or throws `vm_busy`. The task keeps the VM busy, or
    /// only `busyKey` when it is given.
    func reserve(
        vmName: String, vmUUID: String, kind: String, busyKey: String? = nil
    ) throws(EngineError) -> (TaskInfo, ProgressCounter) {
        let key = busyKey ?? vmUUID
        if let other = busy[key] {
            throw EngineError(.vmBusy, "VM \(vmName) is busy with task \(other)", step: .plan, vm: vmName)
        }
        let id = UUID().uuidString.lowercased()
        let info = TaskInfo(id: id, kind: kind, vm: vmName, vmUUID: vmUUID, state: .queued, created: Date())
        let progress = ProgressCounter()
        entries[id] = Entry(info: info, progress: progress, busyKey: key)
        order.append(id)
        busy[key] = id
        reportQueue()
        return (info, progress)
    }

    /// Forgets a task that never started (its plan failed) and frees its VM.
    func abandon(_ id: String) {
        for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: nil) }
        if let key = entries[id]?.busyKey, busy[key] == id { busy[key] = nil }
        entries[id] = nil
        order.removeAll { $0 == id }
        reportQueue()
    }

    /// Gives the task its running job; cancels the job at once when a cancel came first.
    func attach(_ job: Task<Void, Never>, to id: String) {
        guard entries[id] != nil else { return }
        entries[id]?.job = job
        if entries[id]?.cancelRequested == true { job.cancel() }
    }

    /// Whether a cancel was asked for the task.
    func isCancelRequested(_ id: String) -> Bool {
        entries[id]?.cancelRequested ?? false
    }

    /// The progress counter of a task that has not finished.
    func progress(of id: String) -> ProgressCounter? {
        entries[id]?.progress
    }

    /// Changes a task that has not finished yet.
    func update(_ id: String, _ change: (inout TaskInfo) -> Void) {
        guard var entry = entries[id], !entry.info.state.isFinished else { return }
        change(&entry.info)
        entries[id] = entry
        reportQueue()
    }

    /// Records the end of a task and frees its VM; `failedStep` is the step a failed task failed at.
    func finish(
        _ id: String, wakingWaiters: Bool = true, failedStep: JobStep? = nil, _ change: (inout TaskInfo) -> Void
    ) {
        guard var entry = entries[id] else { return }
        change(&entry.info)
        entry.failedStep = failedStep
        entry.info.progress = entry.progress.snapshot
        entry.info.finished = Date()
        entry.job = nil
        entries[id] = entry
        if busy[entry.busyKey] == id { busy[entry.busyKey] = nil }
        reportQueue()
        if wakingWaiters { wakeFinishWaiters(id) }
    }

    /// Wakes those who wait for the task to finish (`finished(_:)`); the runner does so once the
    /// finished task is also in the catalog.
    func wakeFinishWaiters(_ id: String) {
        for waiter in finishWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: info(id)) }
    }

    /// Waits until the task has finished and returns it; `nil` for a task the registry does not
    /// hold (or abandons while waiting).
    func finished(_ id: String) async -> TaskInfo? {
        guard let entry = entries[id] else { return nil }
        if entry.info.state.isFinished { return info(id) }
        return await withCheckedContinuation { finishWaiters[id, default: []].append($0) }
    }

    private func reportQueue() {
        BackupMetrics.shared.recordQueue(queued: count(in: .queued), running: count(in: .running))
    }

    /// Forgets the tasks that finished before `date`; returns how many. The catalog keeps them
    /// for longer: the registry only needs the tasks that are running, queued or just done.
    @discardableResult
    func forget(finishedBefore date: Date) -> Int {
        let old = entries.filter { _, entry in entry.info.finished.map { $0 < date } ?? false }.map(\.key)
        for id in old { entries[id] = nil }
        order.removeAll { entries[$0] == nil }
        return old.count
    }

    func info(_ id: String) -> TaskInfo? {
        guard let entry = entries[id] else { return nil }
        var info = entry.info
        if !info.state.isFinished { info.progress = entry.progress.snapshot }
        return info
    }

    /// The step the task failed at, while the registry holds it.
    func failedStep(_ id: String) -> JobStep? {
        entries[id]?.failedStep
    }

    func all() -> [TaskInfo] {
        order.compactMap { info($0) }
    }

    func count(in state: TaskState) -> Int {
        entries.values.filter { $0.info.state == state }.count
    }

    /// Cancels a task that has not finished: its job at once, or, while it is still being
    /// planned, the moment its job is attached. Returns whether there was anything to cancel.
    func cancel(_ id: String) -> Bool {
        guard var entry = entries[id], !entry.info.state.isFinished else { return false }
        entry.cancelRequested = true
        entries[id] = entry
        entry.job?.cancel()
        return true
    }

    /// Stops a task that has not finished the way `cancel` does, but it ends failed with
    /// `reason`: the world changed under it (its VM was undefined).
    func stop(_ id: String, because reason: EngineError) -> Bool {
        guard entries[id].map({ !$0.info.state.isFinished }) == true else { return false }
        entries[id]?.stopReason = reason
        return cancel(id)
    }

    /// Why the task was stopped, if `stop(_:because:)` stopped it.
    func stopReason(_ id: String) -> EngineError? {
        entries[id]?.stopReason
    }

    /// The tasks of `kind` for VM `vmUUID` that have not finished, queued ones included.
    func unfinished(vmUUID: String, kind: String) -> [String] {
        order.filter { id in
            guard let info = entries[id]?.info else { return false }
            return info.vmUUID == vmUUID && info.kind == kind && !info.state.isFinished
        }
    }

    /// Cancels every job that has not finished, including those still planned.
    func cancelAll() {
        for (id, entry) in entries where !entry.info.state.isFinished {
            entries[id]?.cancelRequested = true
            entry.job?.cancel()
        }
    }
}
