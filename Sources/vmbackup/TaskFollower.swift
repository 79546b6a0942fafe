import APIModel

/// Polls a task until it finishes, showing its progress on stderr: on a terminal one line drawn
/// over itself, else a plain line now and then (see ``ProgressStyle``).
struct TaskFollower {
    let client: DaemonClient
    var interval: Duration = .milliseconds(300)
    var progressStyle = ProgressStyle.current

    func follow(taskID: String) async throws -> DaemonClient.Answer<TaskInfo> {
        var progress = ProgressDrawing(style: progressStyle)
        defer { progress.clear() }
        while true {
            let answer = try await client.task(id: taskID)
            if answer.value.state.isFinished {
                return answer
            }
            progress.draw(answer.value)
            try await Task.sleep(for: interval)
        }
    }
}
