import APIModel
import ArgumentParser

/// `vmbackup delete VM BACKUP`: deletes a backup, and with `--children` or `--children-only` the
/// backups made on top of it.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a backup.",
        discussion: """
            A backup that others were made on top of is only deleted with --children (it and \
            them) or --children-only (them, keeping it). A protected backup is not deleted.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.")
    var vm: String

    @Argument(help: "The backup: its id, its name, or `latest` (the newest).")
    var backup: String

    @Flag(help: "Also delete the backups made on top of this one.")
    var children = false

    @Flag(help: "Delete only the backups made on top of this one, and keep it.")
    var childrenOnly = false

    @Flag(help: "Print what was deleted as JSON, as vmbackupd answers.")
    var json = false

    func validate() throws {
        guard !(children && childrenOnly) else {
            throw ValidationError("--children and --children-only exclude each other; give one of them")
        }
    }

    func run() async throws {
        let mode: ChildrenDeletion? = children ? .delete : childrenOnly ? .only : nil
        let answer = try await connection.client.deleteBackup(vm: vm, id: backup, children: mode)
        if json {
            Terminal.writeOutput(answer.json)
        } else if answer.value.deleted.isEmpty {
            print(mode == .only ? "Nothing deleted: no backup was made on top of \(backup)." : "Nothing deleted.")
        } else {
            print(answer.value.deleted.map { "deleted \($0)\n" }.joined(), terminator: "")
        }
    }
}
