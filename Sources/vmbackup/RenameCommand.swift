import APIModel
import ArgumentParser

/// `vmbackup rename VM BACKUP NAME`: names a backup, or with `""` removes its name.
struct RenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Name a backup (\"\" removes the name).")

    @OptionGroup var backup: BackupEditOptions

    @Argument(help: "The new name (not `latest`, nor of the form of a backup id); \"\" removes the name.")
    var name: String

    func run() async throws {
        try await backup.apply(BackupUpdate(name: name))
    }
}
