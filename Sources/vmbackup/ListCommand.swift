import APIModel
import ArgumentParser

/// `vmbackup list VM`: the backups of a VM.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the backups of a VM.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Flag(help: "Draw each backup under the backup it was made on top of.")
    var tree = false

    @Flag(help: "Print the backups as a JSON array, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.listBackups(vm: vm)
        if json {
            Terminal.writeOutput(answer.json)
        } else if answer.value.isEmpty {
            print("No backups of \(vm).")
        } else if tree {
            print(BackupTable.renderTree(answer.value), terminator: "")
        } else {
            print(BackupTable.render(answer.value), terminator: "")
        }
    }
}
