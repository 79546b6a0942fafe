import APIModel

/// How a finished task ends the CLI: its report on stdout, and a failure for anything but success.
enum TaskOutcome {
    static func finish(_ answer: DaemonClient.Answer<TaskInfo>, json: Bool) throws(CLIFailure) {
        let task = answer.value
        if json {
            Terminal.writeOutput(answer.json)
        } else if task.state == .succeeded {
            print(TaskReport(task: task).rendered(), terminator: "")
        }
        switch task.state {
        case .succeeded:
            return
        case .cancelled:
            throw CLIFailure(task.error ?? APIErrorInfo(.cancelled, "task \(task.id) was cancelled"))
        default:
            throw CLIFailure(task.error ?? APIErrorInfo(.internal, "task \(task.id) \(task.state.rawValue)"))
        }
    }
}
