import ArgumentParser

/// `vmbackup status`: what the daemon is and does.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show vmbackupd's status.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.status()
        guard !json else {
            Terminal.writeOutput(answer.json)
            return
        }
        let status = answer.value
        let fields = [
            ("version", status.version),
            ("started", DisplayDate.format(status.started)),
            ("libvirt", status.libvirtURI),
            ("target", status.targetDirectory),
            ("tasks", "\(status.runningTasks) running, \(status.queuedTasks) queued"),
        ]
        print(FieldList.render(fields), terminator: "")
    }
}
