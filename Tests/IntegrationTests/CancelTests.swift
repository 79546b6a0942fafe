import APIModel
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension Integration {
    /// Cancel as a first-class ending. Backups of a running guest (so with a qcow2 overlay to
    /// merge back) are held while they stream (`VMBACKUPD_HOLD_AT`), then ended the three ways a
    /// user ends them: Ctrl-C twice on `vmbackup backup --wait` on a terminal (which leaves it
    /// running) and `vmbackup cancel`; Ctrl-C and the answer `c`; SIGINT with no terminal on
    /// stdin. Each time, checked from outside: the task reads `cancelled`, the journal holds
    /// nothing, the target no partial folder, the guest is back on its own image with no overlay
    /// beside it, and the earlier backup reads back; after a restart too.
    @Suite struct CancelTests {
        @Test func aCancelledBackupLeavesNothingBehindAndStaysCancelledAfterARestart() throws {
            let guest = try TestGuest.make("cc-cancel", disks: [(16, "qcow2")], agent: false)
            defer { guest.remove() }
            let original = try guest.diskSources()
            let hold = try TestHost.makeWorkDirectory("cc-hold")
            defer { try? FileManager.default.removeItem(atPath: hold) }
            let holdFile = hold + "/hold"
            // No agent in this guest: quiesce off spares each backup the wait for one.
            let daemon = try Daemon.start(
                config: "[backup]\nquiesce = \"off\"\n",
                environment: ["VMBACKUPD_HOLD_AT": "streaming", "VMBACKUPD_HOLD_WHILE": holdFile])
            let started = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
            let earlier = try daemon.waitForTask(
                try APIJSON.decoder().decode(TaskInfo.self, from: Data(started.body.utf8)).id)
            #expect(earlier.state == .succeeded, "\(String(describing: earlier.error))")
            let kept = try #require(earlier.result)
            #expect(FileManager.default.createFile(atPath: holdFile, contents: Data()))
            let held = HeldBackups(daemon: daemon, guest: guest, original: original, earlier: kept)
            var cancelled: [String] = []

            // Ctrl-C twice on a terminal: the backup is left running, the command says how to
            // follow it; then `vmbackup cancel` ends it.
            do {
                let cli = try CLIProcess(daemon: daemon, guest: guest, terminal: true)
                let task = try held.waitUntilHeld()
                cli.type("\u{03}")
                try cli.waitFor("[c/l/Enter]: ")
                cli.type("\u{03}")
                let ended = try cli.waitForExit()
                #expect(ended.status == 130, "\(ended.output)")
                #expect(ended.output.contains("vmbackup task \(task) --wait"), "\(ended.output)")
                #expect(try held.state(of: task) == .running, "left running")
                let cancel = try daemon.cli(["cancel", task])
                #expect(cancel.status == 0, "\(cancel.stdout)\(cancel.stderr)")
                #expect(cancel.stdout.contains("Cancelled task \(task)"), "\(cancel.stdout)")
                try held.expectNothingLeft(by: task)
                cancelled.append(task)
            }

            // Ctrl-C on a terminal, answered `c`: the command cancels, waits for the cleanup and
            // fails with the task's error.
            do {
                let cli = try CLIProcess(daemon: daemon, guest: guest, terminal: true)
                let task = try held.waitUntilHeld()
                cli.type("\u{03}")
                try cli.waitFor("[c/l/Enter]: ")
                cli.type("c\n")
                let ended = try cli.waitForExit()
                #expect(ended.status == 1, "\(ended.output)")
                #expect(ended.output.contains("Cancelling the backup of VM \(guest.name)"), "\(ended.output)")
                #expect(ended.output.contains("was cancelled"), "\(ended.output)")
                try held.expectNothingLeft(by: task)
                cancelled.append(task)
            }

            // SIGINT with no terminal on stdin: no one to ask, so it cancels.
            do {
                let cli = try CLIProcess(daemon: daemon, guest: guest, terminal: false)
                let task = try held.waitUntilHeld()
                cli.interrupt()
                let ended = try cli.waitForExit()
                #expect(ended.status == 1, "\(ended.output)")
                #expect(ended.output.contains("Cancelling the backup of VM \(guest.name)"), "\(ended.output)")
                try held.expectNothingLeft(by: task)
                cancelled.append(task)
            }

            #expect(!daemon.logText.contains("cannot update the journal"), "\(daemon.logText)")
            #expect(!daemon.logText.contains("not kept in the catalog"), "\(daemon.logText)")

            // A restart on the same state: nothing to recover, and every task still cancelled.
            let again = try Daemon.start(root: daemon.detach())
            #expect(!again.logText.contains("recovering an interrupted backup"), "\(again.logText)")
            for task in cancelled {
                let (status, body) = try again.request("GET", "/v1/tasks/\(task)")
                #expect(status == 200, "\(body)")
                let info = try APIJSON.decoder().decode(TaskInfo.self, from: Data(body.utf8))
                #expect(info.state == .cancelled, "\(String(describing: info.error))")
                #expect(info.error?.code == .cancelled)
            }
            let recovered = HeldBackups(daemon: again, guest: guest, original: original, earlier: kept)
            try recovered.expectEarlierBackupIntact()
        }
    }
}

/// Backups of one guest held at the start of their stream, each ended by a test.
private struct HeldBackups {
    let daemon: Daemon
    let guest: TestGuest
    let original: [String: String]
    let earlier: BackupSummary

    /// Waits until a backup of the guest is held while streaming, with its overlay made and its
    /// partial folder on the target; returns its task's id.
    func waitUntilHeld() throws -> String {
        for _ in 0..<600 {
            let (_, body) = try daemon.request("GET", "/v1/status")
            let status = try APIJSON.decoder().decode(DaemonStatus.self, from: Data(body.utf8))
            if let task = status.active.first(where: { $0.vm == guest.name && $0.step == "streaming" }),
                daemon.targetEntries().contains(where: { $0.contains("/.partial-") })
            {
                #expect(try guest.diskSources() != original, "the guest writes to an overlay while it streams")
                return task.id
            }
            usleep(100_000)
        }
        throw Shell.Failure(
            command: ["wait for the held backup"], output: .init(status: 1, stdout: "", stderr: daemon.logText))
    }

    func state(of task: String) throws -> TaskState {
        let (_, body) = try daemon.request("GET", "/v1/tasks/\(task)")
        return try APIJSON.decoder().decode(TaskInfo.self, from: Data(body.utf8)).state
    }

    /// What a cancelled backup must leave: nothing but its task, `cancelled`.
    func expectNothingLeft(by task: String) throws {
        let info = try daemon.waitForTask(task, timeoutSeconds: 60)
        #expect(info.state == .cancelled, "\(String(describing: info.error))\n\(daemon.logText)")
        #expect(info.error?.code == .cancelled)
        let (_, body) = try daemon.request("GET", "/v1/status")
        let status = try APIJSON.decoder().decode(DaemonStatus.self, from: Data(body.utf8))
        #expect((status.unresolvedRecoveries ?? []).isEmpty, "the journal holds nothing")
        #expect(daemon.targetEntries().allSatisfy { !$0.contains("/.partial-") }, "\(daemon.targetEntries())")
        #expect(try guest.diskSources() == original, "back on its own image")
        #expect(try guest.strayFiles() == [], "no overlay beside the disk")
        try expectEarlierBackupIntact()
    }

    /// The backup made before still listed, alone, and reading back as its index says.
    func expectEarlierBackupIntact() throws {
        let (_, body) = try daemon.request("GET", "/v1/vms/\(guest.name)/backups")
        let listed = try APIJSON.decoder().decode([BackupSummary].self, from: Data(body.utf8))
        #expect(listed.map(\.id) == [earlier.id])
        try BackupImage.expectReadsBack(earlier)
    }
}

/// `vmbackup backup VM --wait` run as a user runs it: on a terminal (a pty that `script` makes,
/// typed into through it), or with a pipe for stdin.
private final class CLIProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let collected = OutputBuffer()

    init(daemon: Daemon, guest: TestGuest, terminal: Bool) throws {
        let command = [TestHost.binDirectory + "/vmbackup", "--socket", daemon.socket, "backup", guest.name, "--wait"]
        if terminal {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qfec", "exec " + command.joined(separator: " "), "/dev/null"]
        } else {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
        }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let collected = self.collected
        output.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Types `text` on the terminal (or writes it to stdin).
    func type(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    /// SIGINT, as `kill -INT` sends it.
    func interrupt() {
        kill(process.processIdentifier, SIGINT)
    }

    func waitFor(_ text: String, seconds: Int = 30) throws {
        for _ in 0..<(seconds * 20) {
            if collected.text.contains(text) { return }
            usleep(50_000)
        }
        throw Shell.Failure(command: ["wait for \(text)"], output: .init(status: 1, stdout: collected.text, stderr: ""))
    }

    func waitForExit(seconds: Int = 120) throws -> (status: Int32, output: String) {
        for _ in 0..<(seconds * 20) where process.isRunning { usleep(50_000) }
        guard !process.isRunning else {
            throw Shell.Failure(
                command: ["vmbackup backup --wait"], output: .init(status: 1, stdout: collected.text, stderr: "runs on")
            )
        }
        usleep(100_000)
        return (process.terminationStatus, collected.text)
    }
}

private final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
