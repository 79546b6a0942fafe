import APIModel
import ArgumentParser
import Foundation

/// `vmbackup [--socket PATH] <subcommand>`: the command line of vmbackupd.
struct VMBackupCommand: AsyncParsableCommand {
    static let defaultSocketPath = "/run/vmbackup/vmbackupd.sock"

    static let configuration = CommandConfiguration(
        commandName: "vmbackup",
        abstract: "Back up libvirt/KVM guests through vmbackupd.",
        discussion: """
            Exit status: 0 success, 1 failure, 2 usage error, 3 vmbackupd not reachable, \
            4 VM, backup, task or export not found, 5 VM busy or backup in use, \
            130 Ctrl-C left a followed task running. With --json, a failure is printed on stdout \
            as {"error": {"code", "message", "status", "httpStatus"}}.
            """,
        version: VMBackupVersion.current,
        subcommands: [
            BackupCommand.self, RestoreCommand.self, InstantCommand.self, DrillCommand.self, DrillsCommand.self,
            ListCommand.self, ShowCommand.self, RenameCommand.self, DescribeCommand.self, ProtectCommand.self,
            UnprotectCommand.self, DeleteCommand.self, PruneCommand.self, VerifyCommand.self, TaskCommand.self,
            TasksCommand.self, CancelCommand.self, StatusCommand.self, VMsCommand.self, MountCommand.self,
            UnmountCommand.self, ExportsCommand.self,
        ])

    @OptionGroup var connection: ConnectionOptions

    /// Every name a subcommand answers to, aliases and `help` included.
    static var commandNames: [String] {
        configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases } + ["help"]
    }

    func run() async throws {
        throw CleanExit.helpRequest(self)
    }
}

/// Where vmbackupd listens; accepted before or after the subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("socket"),
        help: ArgumentHelp(
            "vmbackupd's socket (default: $VMBACKUP_SOCKET when set and not empty, else "
                + "\(VMBackupCommand.defaultSocketPath)).",
            valueName: "path"),
        completion: .file())
    var socket: String?

    var socketPath: String {
        Self.socketPath(option: socket, environment: ProcessInfo.processInfo.environment)
    }

    /// The socket: `--socket`, else `$VMBACKUP_SOCKET` unless it is empty, else the default.
    static func socketPath(option: String?, environment: [String: String]) -> String {
        if let option { return option }
        if let variable = environment["VMBACKUP_SOCKET"], !variable.isEmpty { return variable }
        return VMBackupCommand.defaultSocketPath
    }

    var client: DaemonClient { DaemonClient(socketPath: socketPath) }
}
