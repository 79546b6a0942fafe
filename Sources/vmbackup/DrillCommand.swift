import APIModel
import ArgumentParser

/// `vmbackup drill VM [BACKUP]`: boots a backup as a temporary VM and waits for its agent.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Prove a backup boots: restore it as a temporary VM, wait for its guest agent, remove it.",
        discussion: """
            The backup is booted at once on overlays of its stored images (nothing is copied, the \
            backup is never changed) as a VM without network interfaces; the drill passes when \
            the guest agent answers guest-ping within the daemon's drill timeout. Everything the \
            drill made is removed afterwards; the result is kept (vmbackup drills VM) and counted \
            in /metrics. Without --wait, prints the id of the drill's task.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: an id, a name, or latest (the default).", completion: .backupNames)
    var backup = "latest"

    @Flag(help: "Wait until the drill is finished, then print what it found.")
    var wait = false

    @Flag(help: "Print the task as JSON.")
    var json = false

    func run() async throws {
        let client = connection.client
        guard
            let finished = try await StartedTask.run(
                client: client, wait: wait, json: json, { try await client.startDrill(vm: vm, backup: backup) })
        else {
            return
        }
        if !json, finished.value.state != .succeeded, let drill = finished.value.drill {
            print(DrillReport.rendered(drill), terminator: "")
        }
        try TaskOutcome.finish(finished, json: json)
    }
}

/// `vmbackup drills VM`: the VM's drills, newest first.
struct DrillsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drills", abstract: "List a VM's restore drills.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Flag(help: "Print them as JSON.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.drills(vm: vm)
        if json {
            Terminal.writeOutput(answer.json)
        } else if answer.value.isEmpty {
            print("VM \(vm) has no drills yet: vmbackup drill \(vm)")
        } else {
            let rows = answer.value.map { drill in
                [
                    DisplayDate.format(drill.at), drill.backupID, drill.ok ? "passed" : "FAILED",
                    drill.secondsToAgent.map { String(format: "%.1f s", $0) } ?? "-", drill.problem ?? "",
                ]
            }
            print(
                TextTable.render(header: ["WHEN", "BACKUP", "RESULT", "TO AGENT", "PROBLEM"], rows: rows),
                terminator: "")
        }
    }
}

/// A drill's result as the CLI prints it.
enum DrillReport {
    static func rendered(_ drill: DrillResult) -> String {
        var fields: [(String, String)] = [
            ("drill", drill.ok ? "passed" : "FAILED"),
            ("vm", drill.vm),
            ("backup", drill.backupID),
            ("when", DisplayDate.format(drill.at)),
        ]
        if let seconds = drill.secondsToAgent { fields.append(("to agent", String(format: "%.1f s", seconds))) }
        if !drill.filesystems.isEmpty { fields.append(("file systems", drill.filesystems.joined(separator: " "))) }
        if let problem = drill.problem { fields.append(("problem", problem)) }
        return FieldList.render(fields)
    }
}
