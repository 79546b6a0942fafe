import APIModel

/// How a finished task ends the CLI: its report on stdout, and a failure for anything but success.
/// With `json`, the task's JSON is the report of a failure too: it carries the error.
enum TaskOutcome {
    static func finish(_ answer: DaemonClient.Answer<TaskInfo>, json: Bool) throws(CLIFailure) {
        let task = answer.value
        if json {
            Terminal.writeOutput(answer.json)
        } else if task.state == .succeeded {
            print(TaskReport(task: task).rendered(), terminator: "")
        }
        if let failure = failure(of: task, shownAsJSON: json) { throw failure }
    }

    /// The failure a task that did not succeed ends the CLI with; `nil` for one that did.
    static func failure(of task: TaskInfo, shownAsJSON: Bool) -> CLIFailure? {
        var failure: CLIFailure
        switch task.state {
        case .succeeded:
            return nil
        case .cancelled:
            failure = CLIFailure(task.error ?? APIErrorInfo(.cancelled, "task \(task.id) was cancelled"))
        default:
            failure = CLIFailure(task.error ?? APIErrorInfo(.internal, "task \(task.id) \(task.state.rawValue)"))
        }
        failure.shownAsJSON = shownAsJSON
        return failure
    }
}
