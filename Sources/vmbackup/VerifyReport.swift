import APIModel

/// A finished verify task as `vmbackup verify` prints it.
struct VerifyReport {
    var task: TaskInfo

    var succeeded: Bool { task.state == .succeeded }

    /// `backup ID of VM web01 verified: ok (vda, vdb; 1.2 GiB read)`.
    var line: String {
        let backupID = task.result?.id ?? "?"
        return "backup \(backupID) of VM \(task.vm) verified: ok (\(readSummary))"
    }

    /// One row of `vmbackup verify --all`: `ID  ok  vda, vdb; 1.2 GiB read`, or `ID  FAILED  why`.
    func row(backupID: String) -> String {
        if succeeded { return "\(backupID)  ok  \(readSummary)" }
        if task.state == .cancelled { return "\(backupID)  cancelled" }
        return "\(backupID)  FAILED  \(failure)"
    }

    /// Throws the task's error unless it succeeded.
    func checkSucceeded() throws(CLIFailure) {
        switch task.state {
        case .succeeded:
            return
        case .cancelled:
            throw CLIFailure(task.error ?? APIErrorInfo(.cancelled, "task \(task.id) was cancelled"))
        default:
            throw CLIFailure(task.error ?? APIErrorInfo(.internal, "task \(task.id) \(task.state.rawValue)"))
        }
    }

    private var readSummary: String {
        let disks = (task.result?.disks ?? []).filter { $0.excluded == nil }.map(\.target)
        let read = ByteCount.format(task.progress.doneBytes)
        return disks.isEmpty ? "\(read) read" : "\(disks.joined(separator: ", ")); \(read) read"
    }

    /// What went wrong: the problem the verification found, or the task's error.
    private var failure: String {
        if let problem = task.result?.verification?.problem, task.result?.verification?.task == task.id {
            return problem.description
        }
        return task.error?.message ?? task.state.rawValue
    }
}
