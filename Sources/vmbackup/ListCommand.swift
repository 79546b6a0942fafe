import APIModel
import ArgumentParser

/// `vmbackup list VM`: the backups of a VM.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the backups of a VM.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.")
    var vm: String

    @Flag(help: "Print the backups as a JSON array.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.listBackups(vm: vm)
        if json {
            Terminal.writeOutput(answer.json)
        } else if answer.value.isEmpty {
            print("No backups of \(vm).")
        } else {
            let header = ["ID", "NAME", "CREATED", "CONSISTENCY", "DISKS", "STORED"]
            print(TextTable.render(header: header, rows: answer.value.map(Self.row)), terminator: "")
        }
    }

    private static func row(_ backup: BackupSummary) -> [String] {
        let stored = backup.disks.filter { $0.excluded == nil }
        return [
            backup.id,
            backup.name ?? "-",
            DisplayDate.format(backup.created),
            backup.consistency.rawValue,
            stored.isEmpty ? "-" : stored.map(\.target).joined(separator: ","),
            ByteCount.format(stored.reduce(0) { $0 + ($1.storedBytes ?? 0) }),
        ]
    }
}
