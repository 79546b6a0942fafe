import APIModel

/// A task as `vmbackup task` prints it; a succeeded backup task prints the backup it made.
struct TaskReport {
    var task: TaskInfo

    func rendered() -> String {
        if task.state == .succeeded, let backup = task.result {
            return BackupReport(backup: backup).rendered()
        }
        var fields: [(String, String)] = [
            ("task", task.id),
            ("kind", task.kind),
            ("vm", task.vm),
            ("state", task.step.map { "\(task.state.rawValue): \($0)" } ?? task.state.rawValue),
            ("created", DisplayDate.format(task.created)),
        ]
        if task.progress.totalBytes > 0 {
            let percent = task.progress.doneBytes * 100 / task.progress.totalBytes
            let done = ByteCount.format(task.progress.doneBytes)
            let total = ByteCount.format(task.progress.totalBytes)
            fields.append(("progress", "\(percent)%  \(done) / \(total)"))
        }
        if let finished = task.finished {
            fields.append(("finished", DisplayDate.format(finished)))
        }
        if let resultURI = task.resultURI {
            fields.append(("result", resultURI))
        }
        if let error = task.error {
            fields.append(("error", "\(error.message) (\(error.code.rawValue))"))
        }
        return FieldList.render(fields)
    }
}
