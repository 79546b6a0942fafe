import ArgumentParser

/// `vmbackup vms`: the VMs with backups, defined on this host or not, and the domains defined
/// here without any.
struct VMsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vms", abstract: "List the VMs with backups, and the domains defined here.",
        discussion: """
            Every VM with backups in the catalog is listed, whether libvirt defines it on this \
            host or not (DEFINED no: deleted, or moved away; its backups stay reachable by its \
            name or UUID), and so is every domain defined here, with 0 backups when it has none.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the VMs as a JSON array, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.vms()
        if json {
            Terminal.writeOutput(answer.json)
        } else if answer.value.isEmpty {
            print("No VMs: libvirt defines no domain here and the catalog has no backups.")
        } else {
            print(VMTable.render(answer.value), terminator: "")
        }
    }
}
