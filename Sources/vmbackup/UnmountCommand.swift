import ArgumentParser

/// `vmbackup unmount EXPORT-ID`: stops an export, such as one a killed `vmbackup mount` left.
struct UnmountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmount", abstract: "Stop an export that vmbackup mount started.",
        discussion: "vmbackup exports lists the exports and their ids.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The export's id, as vmbackup mount and vmbackup exports show it.")
    var export: String

    @Flag(help: "Print the stopped export as JSON, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.unmount(id: export)
        if json {
            Terminal.writeOutput(answer.json)
        } else {
            let stopped = answer.value
            print(
                "Stopped export \(stopped.id) (disk \(stopped.disk) of backup \(stopped.backupID) of VM "
                    + "\(stopped.vmName)); \(stopped.socket) is gone.")
        }
    }
}
