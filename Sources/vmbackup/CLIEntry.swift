import ArgumentParser
import Foundation

/// Runs the command line and turns every failure into one line on stderr and an exit status.
@main
enum CLIEntry {
    static func main() async {
        do {
            var command = try VMBackupCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            Terminal.writeError("vmbackup: \(failure.message)\n")
            exit(failure.status.rawValue)
        } catch {
            switch VMBackupCommand.exitCode(for: error) {
            case .validationFailure:
                Terminal.writeError(VMBackupCommand.fullMessage(for: error) + "\n")
                exit(CLIFailure.ExitStatus.usage.rawValue)
            case .success:
                VMBackupCommand.exit(withError: error)  // --help and friends
            case let code where error is ExitCode:
                exit(code.rawValue)
            default:
                Terminal.writeError("vmbackup: \(error)\n")
                exit(CLIFailure.ExitStatus.failure.rawValue)
            }
        }
    }
}
