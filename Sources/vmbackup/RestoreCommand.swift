import APIModel
import ArgumentParser

/// `vmbackup restore VM BACKUP`: restores a backup to new files, as a new VM, or over the VM's
/// own disks; with `--wait`, follows it to the end.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup: to new image files, as a new VM, or over the VM's own disks.",
        discussion: """
            Say where with exactly one of --to DIR, --as NAME (with --to DIR for its disks) and \
            --in-place. Every disk is checked against the backup's chunk index while it is written. \
            A file that exists is never overwritten; a restore in place needs the VM shut off \
            (--force shuts it down first). Without --wait, prints the id of the restore's task.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(
        help: "The VM's name or UUID (a VM no longer defined here is found by its backups).", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: an id, a name, or latest.", completion: .backupNames)
    var backup: String

    @Option(
        name: .customLong("disk"),
        help: ArgumentHelp(
            "Restore only this disk, or this disk from another backup (repeatable).", valueName: "vda[=BACKUP]"))
    var disks: [DiskChoiceArgument] = []

    @Option(help: ArgumentHelp("Write new image files into this folder.", valueName: "DIR"))
    var to: String?

    @Option(help: ArgumentHelp("The format of new image files: qcow2 (the default) or raw.", valueName: "format"))
    var format: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Define a new VM by this name on the restored disks.", valueName: "NAME"))
    var newName: String?

    @Flag(
        help: """
            With --as: boot at once on overlays of the stored images, copying nothing;             then vmbackup instant keep|discard NAME.
            """)
    var instant = false

    @Flag(help: "Write the backup over the VM's own disks; the VM must be shut off.")
    var inPlace = false

    @Flag(help: "With --in-place: shut the VM down first (guest agent, then ACPI).")
    var force = false

    @Flag(help: "Start the restored VM afterwards.")
    var start = false

    @Flag(help: "Start the restored VM paused afterwards.")
    var paused = false

    @Flag(help: "Wait until the restore is finished, showing progress on a terminal.")
    var wait = false

    @Flag(help: "Print the task as JSON.")
    var json = false

    func validate() throws {
        if start && paused { throw ValidationError("--start and --paused exclude each other") }
    }

    func run() async throws {
        let client = connection.client
        let request = RestoreRequest(
            disks: disks.isEmpty ? nil : disks.map { .init(target: $0.target, backup: $0.backup) },
            to: to, format: format, as: newName, inPlace: inPlace ? true : nil, force: force ? true : nil,
            start: paused ? .paused : start ? .running : nil, instant: instant ? true : nil)
        guard
            let finished = try await StartedTask.run(
                client: client, wait: wait, json: json,
                { try await client.startRestore(vm: vm, backup: backup, request: request) })
        else {
            return
        }
        try TaskOutcome.finish(finished, json: json)
    }
}

/// `vda` or `vda=BACKUP`: a disk, and the backup it comes from when not the one named.
struct DiskChoiceArgument: ExpressibleByArgument {
    var target: String
    var backup: String?

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let target = parts.first, !target.isEmpty else { return nil }
        if parts.count == 2, parts[1].isEmpty { return nil }
        self.target = target
        self.backup = parts.count == 2 ? parts[1] : nil
    }
}
