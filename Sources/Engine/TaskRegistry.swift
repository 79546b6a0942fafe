import APIModel
import Foundation

/// Every task the daemon knows of, and which VMs are busy.
///
/// A VM is busy from the moment its backup is accepted until its job has finished, cleanup
/// included; a second backup of a busy VM is refused with `vm_busy`.
actor TaskRegistry {
    private struct Entry {
        var info: TaskInfo
        let progress: ProgressCounter
        var job: Task<Void, Never>?
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var busy: [String: String] = [:]

    /// Registers a queued task for `vmUUID`, or throws `vm_busy`.
    func reserve(vmName: String, vmUUID: String, kind: String) throws(APIErrorInfo) -> (TaskInfo, ProgressCounter) {
        if let other = busy[vmUUID] {
            throw APIErrorInfo(.vmBusy, "VM \(vmName) is busy with task \(other)")
        }
        let id = UUID().uuidString.lowercased()
        let info = TaskInfo(id: id, kind: kind, vm: vmName, vmUUID: vmUUID, state: .queued, created: Date())
        let progress = ProgressCounter()
        entries[id] = Entry(info: info, progress: progress)
        order.append(id)
        busy[vmUUID] = id
        reportQueue()
        return (info, progress)
    }

    /// Forgets a task that never started (its plan failed) and frees its VM.
    func abandon(_ id: String) {
        if let vmUUID = entries[id]?.info.vmUUID { busy[vmUUID] = nil }
        entries[id] = nil
        order.removeAll { $0 == id }
        reportQueue()
    }

    func attach(_ job: Task<Void, Never>, to id: String) {
        entries[id]?.job = job
    }

    /// Changes a task that has not finished yet.
    func update(_ id: String, _ change: (inout TaskInfo) -> Void) {
        guard var entry = entries[id], !entry.info.state.isFinished else { return }
        change(&entry.info)
        entries[id] = entry
        reportQueue()
    }

    /// Records the end of a task and frees its VM.
    func finish(_ id: String, _ change: (inout TaskInfo) -> Void) {
        guard var entry = entries[id] else { return }
        change(&entry.info)
        entry.info.progress = entry.progress.snapshot
        entry.info.finished = Date()
        entry.job = nil
        entries[id] = entry
        if let vmUUID = entry.info.vmUUID, busy[vmUUID] == id { busy[vmUUID] = nil }
        reportQueue()
    }

    private func reportQueue() {
        BackupMetrics.recordQueue(queued: count(in: .queued), running: count(in: .running))
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

    func all() -> [TaskInfo] {
        order.compactMap { info($0) }
    }

    func count(in state: TaskState) -> Int {
        entries.values.filter { $0.info.state == state }.count
    }

    func cancel(_ id: String) -> Bool {
        guard let job = entries[id]?.job else { return false }
        job.cancel()
        return true
    }

    /// Cancels every running job and returns them, so the caller can wait for their cleanup.
    func cancelAll() -> [Task<Void, Never>] {
        let jobs = entries.values.compactMap(\.job)
        jobs.forEach { $0.cancel() }
        return jobs
    }
}
