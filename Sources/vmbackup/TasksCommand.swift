import APIModel
import ArgumentParser
import Foundation

/// `vmbackup tasks`: the recent tasks, running and finished, oldest first.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "List the recent tasks: running, queued and finished.",
        discussion: """
            vmbackupd keeps the tasks of its last hour in memory and the finished ones in its \
            catalog (task_history_days); the newest are listed last. Show one with `vmbackup task ID`.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Only the tasks of this VM (name or UUID).", valueName: "vm"), completion: .vmNames)
    var vm: String?

    @Option(help: "Only the tasks in this state: queued, running, succeeded, failed or cancelled.")
    var state: TaskState?

    @Option(help: "Show at most this many tasks, the newest (default 20; 0 shows all).")
    var limit: Int = 20

    @Flag(help: "Print the tasks as a JSON array, as vmbackupd answers, filtered by --vm and --state.")
    var json = false

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        let answer = try await connection.client.tasks()
        let filter = TaskFilter(vm: vm, state: state)
        if json {
            // The daemon's JSON as is, unless filtered: then the filtered tasks, encoded again.
            Terminal.writeOutput(
                filter.isActive ? try APIJSON.encoder().encode(filter.apply(answer.value)) : answer.json)
            return
        }
        var tasks = filter.apply(answer.value)
        if limit > 0 { tasks = Array(tasks.suffix(limit)) }
        if tasks.isEmpty {
            print(filter.isActive ? "No tasks match." : "No tasks.")
        } else {
            print(TaskTable.render(tasks, now: Date()), terminator: "")
        }
    }
}

extension TaskState: ExpressibleByArgument {}

/// Which tasks `vmbackup tasks` shows: those of one VM, in one state.
struct TaskFilter {
    var vm: String?
    var state: TaskState?

    var isActive: Bool { vm != nil || state != nil }

    func apply(_ tasks: [TaskInfo]) -> [TaskInfo] {
        tasks.filter { task in
            if let state, task.state != state { return false }
            if let vm, task.vm != vm, task.vmUUID?.lowercased() != vm.lowercased() { return false }
            return true
        }
    }
}
