import ArgumentParser

/// `vmbackup exports`: the disks vmbackupd serves over NBD.
struct ExportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exports", abstract: "List the backup disks vmbackupd serves over NBD (vmbackup mount).")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the exports as a JSON array, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.exports()
        if json {
            Terminal.writeOutput(answer.json)
        } else if answer.value.isEmpty {
            print("No exports: vmbackup mount starts one.")
        } else {
            print(ExportReport.table(answer.value), terminator: "")
        }
    }
}
