import APIModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a command that starts a task (backup, restore, drill) does next: without `--wait`, print
/// the task's id (or the task as JSON) and return; with it, follow the task to its end, Ctrl-C
/// handled as ``Interruption`` says.
enum StartedTask {
    /// Starts a task with `start`; returns the finished task when `wait`, `nil` once the started
    /// task is printed. Throws ``CLIFailure/ExitStatus/interrupted`` when Ctrl-C left the task
    /// running.
    static func run(
        client: DaemonClient, wait: Bool, json: Bool,
        _ start: () async throws -> DaemonClient.Answer<TaskInfo>
    ) async throws -> DaemonClient.Answer<TaskInfo>? {
        guard wait else {
            let started = try await start()
            if json {
                Terminal.writeOutput(started.json)
            } else {
                print(started.value.id)
            }
            return nil
        }
        // Ctrl-C is handled from before the task exists, so that none ends the command silently.
        let interrupts = SignalStream.make([SIGINT])
        let started = try await start()
        switch try await TaskFollower(client: client).follow(started.value, interrupts: interrupts) {
        case .finished(let answer):
            return answer
        case .detached:
            throw CLIFailure(
                "stopped following task \(started.value.id); it goes on in vmbackupd", status: .interrupted)
        }
    }
}
