import APIModel
import ArgumentParser

/// `vmbackup cancel ID`: cancels a queued or running task and waits until its cleanup is done.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a queued or running task.",
        discussion: """
            A backup that is cancelled thaws its guest, merges or deletes its snapshots and removes \
            its partial folder; nothing of it is published. Waits until that is done, unless \
            --no-wait. Exit status 0 once the task is cancelled; 1 when it had finished first.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The task's id, as `vmbackup backup` printed it.", completion: .taskIDs)
    var id: String

    @Flag(help: "Return once vmbackupd took the cancel, without waiting for the task's cleanup.")
    var noWait = false

    @Flag(help: "Print the task as JSON.")
    var json = false

    func run() async throws {
        let client = connection.client
        let asked = try await client.cancelTask(id: id)
        let task = asked.value
        if task.state.isFinished, task.state != .cancelled {
            if json { Terminal.writeOutput(asked.json) }
            throw CLIFailure("task \(task.id) had already finished (\(task.state.rawValue)); nothing to cancel")
        }
        let answer = noWait ? asked : try await TaskFollower(client: client).follow(taskID: task.id)
        if json {
            Terminal.writeOutput(answer.json)
        }
        switch answer.value.state {
        case .cancelled:
            if !json { print("Cancelled task \(task.id): the \(task.kind) of VM \(task.vm).") }
        case .queued, .running:
            if !json {
                print("Cancelling task \(task.id): the \(task.kind) of VM \(task.vm) cleans up in vmbackupd.")
            }
        case .succeeded, .failed:
            if !json { print(TaskReport(task: answer.value).rendered(), terminator: "") }
            throw CLIFailure("task \(task.id) finished (\(answer.value.state.rawValue)) before the cancel took effect")
        }
    }
}
