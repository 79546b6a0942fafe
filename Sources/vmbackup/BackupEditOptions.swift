import APIModel
import ArgumentParser

/// What the commands that change a backup (`rename`, `describe`, `protect`, `unprotect`) share:
/// the backup named, and printing it as it is afterwards.
struct BackupEditOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: its id, its name, or `latest` (the newest).", completion: .backupNames)
    var backup: String

    @Flag(help: "Print the changed backup as JSON, as vmbackupd answers.")
    var json = false

    /// Sends `update` and prints the backup as it is now: one line, or the daemon's JSON.
    func apply(_ update: BackupUpdate) async throws {
        let answer = try await connection.client.updateBackup(vm: vm, id: backup, update: update)
        if json {
            Terminal.writeOutput(answer.json)
        } else {
            print(BackupLine(backup: answer.value).rendered())
        }
    }
}
