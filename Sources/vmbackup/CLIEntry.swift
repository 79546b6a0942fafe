import ArgumentParser
import Foundation

/// Runs the command line and turns every failure into one line on stderr (with `--json`, also one
/// JSON object on stdout) and an exit status.
@main
enum CLIEntry {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let report = FailureReport(json: CommandWords.asksForJSON(arguments))
        if let unknown = CommandWords.unknownCommand(in: arguments, commands: VMBackupCommand.commandNames) {
            report.exit(with: unknown)
        }
        do {
            var command = try await VMBackupCommand.asyncParseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            report.exit(with: failure)
        } catch {
            switch VMBackupCommand.exitCode(for: error) {
            case .validationFailure:
                let message =
                    report.json ? VMBackupCommand.message(for: error) : VMBackupCommand.fullMessage(for: error)
                report.exit(with: CLIFailure(message, status: .usage, code: "usage"), prefixed: false)
            case .success:
                VMBackupCommand.exit(withError: error)  // --help, --version and friends
            case let code where error is ExitCode:
                exit(code.rawValue)
            default:
                report.exit(with: CLIFailure("\(error)"))
            }
        }
    }
}

/// How a failure is shown: one line on stderr, for a person or a log; with `--json` also the
/// object `{"error": {"code", "message", "status", "httpStatus"}}` on stdout, where the output a
/// script reads comes from.
struct FailureReport {
    var json: Bool

    func exit(with failure: CLIFailure, prefixed: Bool = true) -> Never {
        // A failed task's JSON, already printed, carries the error: no second object.
        if json && !failure.shownAsJSON { Terminal.writeOutput(failure.json()) }
        Terminal.writeError((prefixed ? "vmbackup: " : "") + failure.message + "\n")
        if let hint = failure.hint { Terminal.writeError(hint + "\n") }
        Foundation.exit(failure.status.rawValue)
    }
}
