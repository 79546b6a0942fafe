import APIModel
import ArgumentParser
import Foundation

/// `vmbackup verify VM BACKUP` or `vmbackup verify VM --all`: reads backups back and checks them
/// against their manifests.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a backup, or every backup of a VM, against its manifest.",
        discussion: """
            Reads every stored disk back and checks it against its chunk index (or, for an older \
            backup, the SHA-256 of its whole content), the index against the manifest's digest, and \
            each saved file (NVRAM, TPM state) against its size and SHA-256. The result is kept with \
            the backup: `vmbackup list` and `show` show it, and retention keeps a backup that failed \
            until it is deleted by hand. Without --wait, prints the id of the verify's task and \
            returns at once. With --all, verifies each backup in turn, waiting for each; the exit \
            status is 1 when any of them failed.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The VM's name or UUID.", completion: .vmNames)
    var vm: String

    @Argument(help: "The backup: its id, its name, or `latest` (the newest).", completion: .backupNames)
    var backup: String?

    @Flag(help: "Verify every backup of the VM, one after the other (implies --wait).")
    var all = false

    @Flag(help: "Wait until the verify is finished, showing progress on a terminal.")
    var wait = false

    @Flag(help: "Print the task as JSON (with --all, an array of the finished tasks).")
    var json = false

    func validate() throws {
        if all && backup != nil { throw ValidationError("Give a backup or --all, not both.") }
        if !all && backup == nil { throw ValidationError("Give the backup to verify, or --all.") }
    }

    func run() async throws {
        let client = connection.client
        if all {
            try await verifyAll(client: client)
            return
        }
        let started = try await client.startVerify(vm: vm, id: backup ?? "")
        guard wait else {
            if json {
                Terminal.writeOutput(started.json)
            } else {
                print(started.value.id)
            }
            return
        }
        let finished = try await TaskFollower(client: client).follow(taskID: started.value.id)
        if json {
            Terminal.writeOutput(finished.json)
        } else if finished.value.state == .succeeded {
            print(VerifyReport(task: finished.value).line)
        }
        do {
            try VerifyReport(task: finished.value).checkSucceeded()
        } catch {
            var failure = error
            failure.shownAsJSON = json
            throw failure
        }
    }

    /// Verifies the VM's backups oldest first, one task at a time, a line for each as it ends.
    private func verifyAll(client: DaemonClient) async throws {
        let backups = try await client.listBackups(vm: vm).value
        var finished: [DaemonClient.Answer<TaskInfo>] = []
        var failed = 0
        if backups.isEmpty && !json { print("No backups of \(vm).") }
        for backup in backups {
            let started: DaemonClient.Answer<TaskInfo>
            do {
                started = try await client.startVerify(vm: vm, id: backup.id)
            } catch let failure as CLIFailure where failure.status == .notFound {
                // Deleted since it was listed: nothing to verify.
                if !json { print("\(backup.id)  gone: \(failure.message)") }
                continue
            }
            let answer = try await TaskFollower(client: client).follow(taskID: started.value.id)
            finished.append(answer)
            let report = VerifyReport(task: answer.value)
            if !report.succeeded { failed += 1 }
            if !json { print(report.row(backupID: backup.id)) }
        }
        if json {
            var array = Data("[".utf8)
            array.append(Data(finished.map(\.json).joined(separator: Data(",".utf8))))
            array.append(Data("]\n".utf8))
            Terminal.writeOutput(array)
        }
        if failed > 0 {
            var failure = CLIFailure("\(failed) of \(finished.count) backup(s) of \(vm) did not verify")
            failure.shownAsJSON = json
            throw failure
        }
    }
}
