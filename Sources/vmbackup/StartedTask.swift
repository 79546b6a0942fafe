import APIModel

/// What a command that starts a task (backup, restore, drill) does next: without `--wait`, print
/// the task's id (or the task as JSON) and return; with it, follow the task to its end.
enum StartedTask {
    /// Returns the finished task when `wait`, `nil` once the started task is printed.
    static func follow(
        _ started: DaemonClient.Answer<TaskInfo>, client: DaemonClient, wait: Bool, json: Bool
    ) async throws -> DaemonClient.Answer<TaskInfo>? {
        guard wait else {
            if json {
                Terminal.writeOutput(started.json)
            } else {
                print(started.value.id)
            }
            return nil
        }
        return try await TaskFollower(client: client).follow(taskID: started.value.id)
    }
}
