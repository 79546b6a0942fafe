import ArgumentParser
import Foundation

/// `vmbackup status`: what the daemon is and does, and when it backs up what.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show vmbackupd's status, its running tasks and its schedule.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the status as JSON, as vmbackupd answers.")
    var json = false

    func run() async throws {
        let answer = try await connection.client.status()
        if json {
            Terminal.writeOutput(answer.json)
        } else {
            print(StatusReport(status: answer.value, now: Date()).rendered(), terminator: "")
        }
    }
}
