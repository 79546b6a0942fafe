import APIModel
import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `vmbackup mount VM BACKUP [--disk vda]`: serves a stored disk read-only over NBD on a Unix
/// socket, for file-level restore, until Ctrl-C; then stops the export.
struct MountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mount",
        abstract: "Serve a backup's disk read-only over NBD, for file-level restore, until Ctrl-C.",
        discussion: """
            vmbackupd serves the stored disk with qemu-nbd on a Unix socket beside its own and prints \
            the socket and its nbd+unix:// URI, which guestfish, nbdfuse, nbdinfo, nbdcopy and qemu-img \
            read. The command stays in the foreground; Ctrl-C or SIGTERM stops the export. The backup \
            is never written to, and is neither deleted nor pruned while it is served. An export that \
            a killed command left running is stopped with vmbackup unmount (vmbackup exports lists \
            them); none survives a restart of vmbackupd.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(
        help: "The VM's name or UUID (a VM no longer defined here is found by its backups).", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: an id, a name, or latest.", completion: .backupNames)
    var backup: String

    @Option(help: ArgumentHelp("The disk to serve; needed when the backup holds several.", valueName: "vda"))
    var disk: String?

    @Flag(help: "Print the export as JSON, as vmbackupd answers, then serve until stopped.")
    var json = false

    /// How often the command checks that the export still serves.
    static let watchInterval: Duration = .seconds(2)

    func run() async throws {
        let client = connection.client
        // Ctrl-C from now on stops the export instead of leaving it behind.
        let signals = SignalStream.make([SIGINT, SIGTERM, SIGHUP])
        let answer = try await client.mount(vm: vm, backup: backup, request: MountRequest(disk: disk))
        let export = answer.value
        if json {
            Terminal.writeOutput(answer.json)
        } else {
            Terminal.writeOutput(Data(ExportReport(export: export).rendered().utf8))
        }
        let ending = await Self.firstEnding(signals: signals, watching: export, client: client)
        switch ending {
        case .signal:
            do {
                _ = try await client.unmount(id: export.id)
            } catch let failure as CLIFailure where failure.status == .notFound {
                // Stopped already.
            }
            Terminal.writeError("Stopped export \(export.id); \(export.socket) is gone.\n")
        case .ended(let failure):
            throw failure
        }
    }

    enum Ending {
        /// A signal asked to stop.
        case signal
        /// The export ended without this command: stopped elsewhere, or the daemon went away.
        case ended(CLIFailure)
    }

    /// Waits for a signal, or for the export to stop serving without this command.
    static func firstEnding(
        signals: AsyncStream<Int32>, watching export: ExportSummary, client: DaemonClient
    ) async -> Ending {
        await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                for await _ in signals { return .signal }
                return nil
            }
            group.addTask { await watch(export, client: client) }
            var ending: Ending?
            while ending == nil, let next = await group.next() { ending = next }
            group.cancelAll()
            return ending ?? .signal
        }
    }

    /// Polls the export until it is gone (or the task is cancelled, which returns nil).
    private static func watch(_ export: ExportSummary, client: DaemonClient) async -> Ending? {
        while true {
            do {
                try await Task.sleep(for: watchInterval)
            } catch {
                return nil
            }
            do {
                _ = try await client.export(id: export.id)
            } catch let failure as CLIFailure where failure.status == .notFound {
                return .ended(
                    CLIFailure(
                        "export \(export.id) stopped without this command (vmbackup unmount, or vmbackupd "
                            + "restarted); \(export.socket) no longer serves disk \(export.disk)"))
            } catch let failure as CLIFailure where failure.status == .daemonUnreachable {
                return .ended(
                    CLIFailure(
                        failure.message + "; export \(export.id) stopped with vmbackupd",
                        status: .daemonUnreachable))
            } catch {
                continue
            }
        }
    }
}
