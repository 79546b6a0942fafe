import APIModel
import ArgumentParser

/// `vmbackup protect VM BACKUP`: keeps a backup from retention and deletion.
struct ProtectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protect", abstract: "Keep a backup from retention and deletion.")

    @OptionGroup var backup: BackupEditOptions

    func run() async throws {
        try await backup.apply(BackupUpdate(protected: true))
    }
}

/// `vmbackup unprotect VM BACKUP`: lets retention and deletion remove a backup again.
struct UnprotectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unprotect", abstract: "Let retention and deletion remove a backup again.")

    @OptionGroup var backup: BackupEditOptions

    func run() async throws {
        try await backup.apply(BackupUpdate(protected: false))
    }
}
