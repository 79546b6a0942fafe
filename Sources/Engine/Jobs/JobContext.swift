import APIModel
import Logging

/// What the runner gives a running job: its task's id, its progress counter, and a way to say
/// which step it is in. Step reports reach the registry in the order the job makes them.
public struct JobContext: Sendable {
    public let taskID: String
    public let progress: ProgressCounter
    public let logger: Logger
    let registry: TaskRegistry

    init(taskID: String, progress: ProgressCounter, logger: Logger, registry: TaskRegistry) {
        self.taskID = taskID
        self.progress = progress
        self.logger = logger
        self.registry = registry
    }

    /// Records the step the job enters, e.g. `freezing`; awaited, so reports never overtake
    /// each other.
    public func enter(_ step: String) async {
        await registry.update(taskID) { $0.step = step }
    }
}
