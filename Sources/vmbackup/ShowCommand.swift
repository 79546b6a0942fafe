import ArgumentParser

/// `vmbackup show VM BACKUP`: one backup, every field.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one backup of a VM.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: its id, its name, or `latest` (the newest).", completion: .backupNames)
    var backup: String

    @Flag(help: "Print the backup as JSON, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.backup(vm: vm, id: backup)
        if json {
            Terminal.writeOutput(answer.json)
        } else {
            print(BackupReport(backup: answer.value).rendered(), terminator: "")
        }
    }
}
