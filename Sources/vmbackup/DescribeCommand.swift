import APIModel
import ArgumentParser

/// `vmbackup describe VM BACKUP TEXT`: attaches a description to a backup, or with `""` removes it.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Describe a backup (\"\" removes the description).")

    @OptionGroup var backup: BackupEditOptions

    @Argument(help: "The description; \"\" removes it.")
    var text: String

    func run() async throws {
        try await backup.apply(BackupUpdate(description: text))
    }
}
