import ArgumentParser
import Foundation

/// `vmbackup [--socket PATH] <subcommand>`: the command line of vmbackupd.
struct VMBackupCommand: ParsableCommand {
    static let defaultSocketPath = "/run/vmbackup/vmbackupd.sock"

    static let configuration = CommandConfiguration(
        commandName: "vmbackup",
        abstract: "Back up libvirt/KVM guests through vmbackupd.",
        discussion: """
            Exit status: 0 success, 1 failure, 2 usage error, 3 vmbackupd not reachable, \
            4 VM, backup, task or export not found, 5 VM busy or backup in use, \
            130 Ctrl-C left a followed task running.
            """,
        subcommands: [
            BackupCommand.self, RestoreCommand.self, InstantCommand.self, DrillCommand.self, DrillsCommand.self,
            ListCommand.self, ShowCommand.self, RenameCommand.self, DescribeCommand.self, ProtectCommand.self,
            UnprotectCommand.self, DeleteCommand.self, PruneCommand.self, VerifyCommand.self, TaskCommand.self,
            CancelCommand.self, StatusCommand.self, VMsCommand.self, MountCommand.self, UnmountCommand.self,
            ExportsCommand.self,
        ])

    @OptionGroup var connection: ConnectionOptions
}

/// Where vmbackupd listens; accepted before or after the subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("socket"),
        help: ArgumentHelp(
            "vmbackupd's socket (default: $VMBACKUP_SOCKET, else \(VMBackupCommand.defaultSocketPath)).",
            valueName: "path"))
    var socket: String?

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment["VMBACKUP_SOCKET"] ?? VMBackupCommand.defaultSocketPath
    }

    var client: DaemonClient { DaemonClient(socketPath: socketPath) }
}
