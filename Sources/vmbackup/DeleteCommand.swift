import APIModel
import ArgumentParser

/// `vmbackup delete VM BACKUP`: deletes a backup, merging it into the backups made on top of it,
/// or with `--children` or `--children-only` deleting those too.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a backup.",
        discussion: """
            A backup that others were made on top of is merged into them: they absorb what they \
            read from it and stay restorable with the same content. --children deletes it and \
            them instead, --children-only them alone, keeping it. A protected backup is not \
            deleted, nor a backup of a VM while a task of that VM runs.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: its id, its name, or `latest` (the newest).", completion: .backupNames)
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
            let merged = answer.value.merged.map { "merged into \($0)\n" }.joined()
            print(answer.value.deleted.map { "deleted \($0)\n" }.joined() + merged, terminator: "")
        }
    }
}
