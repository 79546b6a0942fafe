import APIModel

/// Polls a task until it finishes; on a terminal, draws its progress on one line of stderr.
struct TaskFollower {
    let client: DaemonClient
    var interval: Duration = .milliseconds(300)
    var drawsProgress = Terminal.stderrIsTerminal

    func follow(taskID: String) async throws -> DaemonClient.Answer<TaskInfo> {
        let clock = ContinuousClock()
        var meter = RateMeter()
        var drawn = false
        defer {
            if drawn { Terminal.writeError("\r\u{1B}[K") }
        }
        while true {
            let answer = try await client.task(id: taskID)
            if answer.value.state.isFinished {
                return answer
            }
            if drawsProgress {
                let rate = meter.record(answer.value.progress.doneBytes, at: clock.now)
                let line = ProgressLine(task: answer.value, rate: rate).rendered(columns: Terminal.columns)
                Terminal.writeError("\r\u{1B}[K" + line)
                drawn = true
            }
            try await Task.sleep(for: interval)
        }
    }
}
