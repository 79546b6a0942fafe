import APIModel

/// Polls a task until it finishes; on a terminal, draws its progress on one line of stderr.
struct TaskFollower {
    let client: DaemonClient
    var interval: Duration = .milliseconds(300)
    var drawsProgress = Terminal.stderrIsTerminal

    func follow(taskID: String) async throws -> DaemonClient.Answer<TaskInfo> {
        var progress = ProgressDrawing(enabled: drawsProgress)
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
