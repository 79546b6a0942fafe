import APIModel

/// A task as `vmbackup task` prints it; a succeeded backup task prints the backup it made.
struct TaskReport {
    var task: TaskInfo

    func rendered() -> String {
        if task.state == .succeeded, let backup = task.result {
            return BackupReport(backup: backup).rendered()
        }
        if task.state == .succeeded, let restored = task.restored {
            return RestoreReport(restored: restored).rendered()
        }
        if task.state == .succeeded, let drill = task.drill {
            return DrillReport.rendered(drill)
        }
        var fields: [(String, String)] = [
            ("task", task.id),
            ("kind", task.kind),
            ("vm", task.vm),
            ("state", task.displayedState),
            ("created", DisplayDate.format(task.created)),
        ]
        if let progress = task.displayedProgress {
            fields.append(("progress", progress))
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
