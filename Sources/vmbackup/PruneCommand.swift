import APIModel
import ArgumentParser

/// `vmbackup prune VM`: applies the VM's retention policy now.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Remove the backups of a VM that its retention policy does not keep.",
        discussion: "Protected backups, and the backups others were made on top of, are kept.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Flag(help: "Only show what would be removed.")
    var dryRun = false

    @Flag(help: "Print the decisions as JSON, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.prune(vm: vm, request: PruneRequest(dryRun: dryRun))
        if json {
            Terminal.writeOutput(answer.json)
        } else {
            print(PruneReport(result: answer.value).rendered(), terminator: "")
        }
    }
}
