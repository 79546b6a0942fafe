import APIModel
import ArgumentParser

/// `vmbackup backup VM`: starts a backup; with `--wait`, follows it to the end.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up a VM's disks.",
        discussion: "Without --wait, prints the id of the backup's task and returns at once.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Option(name: .customLong("disk"), help: ArgumentHelp("Back up only this disk (repeatable).", valueName: "vda"))
    var disks: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave this disk out (repeatable).", valueName: "vdb"))
    var excludedDisks: [String] = []

    @Option(help: "Freeze the guest's filesystems through its agent: required, preferred or off.")
    var quiesce: QuiescePolicy?

    @Option(
        name: .customLong("method"),
        help: ArgumentHelp(
            "Snapshot this disk by this method: qcow2, lvm, btrfs or reflink (repeatable).", valueName: "vdb=lvm")
    )
    var methods: [DiskMethod] = []

    @Option(help: "A name for the backup.")
    var name: String?

    @Option(
        help: ArgumentHelp(
            "full, incremental (on the previous backup), differential (on the last full) or auto (incremental "
                + "while the chain is short and young, else full); the policy's level, or full, by default."))
    var level: BackupLevel?

    @Option(
        help: ArgumentHelp("Write to this target of the config ([targets.NAME]), not the policy's.", valueName: "name"))
    var target: String?

    @Flag(help: "Wait until the backup is finished, showing progress on a terminal.")
    var wait = false

    @Flag(help: "Print the task as JSON.")
    var json = false

    func run() async throws {
        let client = connection.client
        let request = BackupRequest(
            name: name,
            disks: disks.isEmpty ? nil : disks,
            exclude: excludedDisks.isEmpty ? nil : excludedDisks,
            quiesce: quiesce,
            methods: methods.isEmpty ? nil : Dictionary(methods.map { ($0.disk, $0.method) }) { _, last in last },
            target: target, level: level)
        guard
            let finished = try await StartedTask.run(
                client: client, wait: wait, json: json, { try await client.startBackup(vm: vm, request: request) })
        else {
            return
        }
        try TaskOutcome.finish(finished, json: json)
    }
}

extension QuiescePolicy: ExpressibleByArgument {}

extension BackupLevel: ExpressibleByArgument {}

/// `vdb=lvm`: a disk and the method that snapshots it.
struct DiskMethod: ExpressibleByArgument {
    var disk: String
    var method: SnapshotMethodName

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let method = SnapshotMethodName(rawValue: parts[1]),
            method != .offline
        else { return nil }
        self.disk = parts[0]
        self.method = method
    }
}
