import ArgumentParser

/// `vmbackup task ID`: one task; with `--wait`, follows it to the end.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "task", abstract: "Show a task.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The task's id, as `vmbackup backup` printed it.", completion: .taskIDs)
    var id: String

    @Flag(help: "Wait until the task is finished, showing progress on a terminal.")
    var wait = false

    @Flag(help: "Print the task as JSON.")
    var json = false

    func run() async throws {
        let client = connection.client
        guard wait else {
            let answer = try await client.task(id: id)
            if json {
                Terminal.writeOutput(answer.json)
            } else {
                print(TaskReport(task: answer.value).rendered(), terminator: "")
            }
            return
        }
        try TaskOutcome.finish(try await TaskFollower(client: client).follow(taskID: id), json: json)
    }
}
