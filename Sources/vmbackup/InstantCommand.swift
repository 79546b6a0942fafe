import APIModel
import ArgumentParser

/// `vmbackup instant`: the VMs booted at once on overlays of stored images (`restore --instant`).
struct InstantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instant",
        abstract: "List, keep or discard the VMs restored with --instant.",
        discussion: """
            A VM restored with --instant runs on qcow2 overlays whose backing files are the \
            stored images: the backups it reads are kept by retention and refused by delete \
            until the VM is kept (its disks pulled off the target, live while it runs) or \
            discarded (its domain, overlays and NVRAM removed).
            """,
        subcommands: [List.self, Keep.self, Discard.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the instant copies.")

        @OptionGroup var connection: ConnectionOptions

        @Flag(help: "Print them as JSON.")
        var json = false

        func run() async throws {
            let answer = try await connection.client.instantCopies()
            if json {
                Terminal.writeOutput(answer.json)
            } else if answer.value.isEmpty {
                print("No instant copies.")
            } else {
                let rows = answer.value.map { copy in
                    [
                        copy.domain, copy.vm, copy.backups.joined(separator: ","), DisplayDate.format(copy.created),
                        copy.drill ? "drill" : "restore",
                    ]
                }
                print(
                    TextTable.render(header: ["VM", "FROM", "BACKUPS", "CREATED", "KIND"], rows: rows), terminator: "")
            }
        }
    }

    struct Keep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an instant copy independent of the target (its disks pulled in).")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The copy's name or UUID.")
        var name: String

        func run() async throws {
            let copy = try await connection.client.keepInstantCopy(name).value
            print("\(copy.domain) no longer needs backups \(copy.backups.joined(separator: ", "))")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an instant copy: its domain, overlays and NVRAM.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The copy's name or UUID.")
        var name: String

        func run() async throws {
            let copy = try await connection.client.discardInstantCopy(name).value
            print("\(copy.domain) removed")
        }
    }
}
