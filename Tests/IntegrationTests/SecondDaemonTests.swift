import APIModel
import Foundation
import Testing

extension Integration {
    /// One daemon per state directory, and no daemon touches another's work: while a backup of a
    /// running guest streams, a second vmbackupd on the same state directory is refused at once
    /// whatever its socket, and one with its own state directory on the same target (another
    /// host of a fleet on a shared mount) leaves the running job's partial folder alone.
    @Suite struct SecondDaemonTests {
        init() {
            TestHost.sweepLeftovers()
        }

        @Test func aSecondDaemonLeavesTheFirstOnesRunningBackupAlone() throws {
            let guest = try TestGuest.make("second", disks: [(32, "qcow2")])
            defer { guest.remove() }
            let original = try guest.diskSources()
            let hold = try TestHost.makeWorkDirectory("hold")
            defer { try? FileManager.default.removeItem(atPath: hold) }
            let holdFile = hold + "/hold"
            let first = try Daemon.start(
                environment: ["VMBACKUPD_HOLD_AT": "streaming", "VMBACKUPD_HOLD_WHILE": holdFile])
            defer { first.stop() }
            let state = first.root + "/state"
            let lockFile = state + "/vmbackupd.lock"
            let held = HeldBackup(daemon: first, guest: guest, original: original, holdFile: holdFile)

            // (a) The same state directory and socket: refused before anything is touched.
            try held.run {
                let stateBefore = try Self.listing(state)
                let refused = try Self.runDaemon(socket: first.socket, state: state, target: first.targetDirectory)
                #expect(refused.status != 0 && refused.status != 124, "exit \(refused.status): \(refused.stderr)")
                #expect(refused.stderr.contains(lockFile), "\(refused.stderr)")
                #expect(refused.stderr.contains("pid \(first.pid)"), "\(refused.stderr)")
                #expect(try Self.listing(state) == stateBefore, "nothing in the state directory changed")
                #expect(FileManager.default.fileExists(atPath: first.socket), "the socket file is the first's")
            }

            // (b) The same state directory with another socket: refused too, and not running beside.
            try held.run {
                let socket = hold + "/other.sock"
                let refused = try Self.runDaemon(socket: socket, state: state, target: first.targetDirectory)
                #expect(refused.status != 0 && refused.status != 124, "exit \(refused.status): \(refused.stderr)")
                #expect(refused.stderr.contains(lockFile), "\(refused.stderr)")
                #expect(!FileManager.default.fileExists(atPath: socket), "it never listened")
            }

            // (c) Its own state directory, the same target: it runs, and leaves the partial alone.
            try held.run {
                let second = try Daemon.start(targetDirectory: first.targetDirectory)
                defer { second.stop() }
                #expect(second.logText.contains("left alone on the target"), "\(second.logText)")
                let partials = first.targetEntries().filter { $0.contains("/.partial-") }
                #expect(partials.count == 1, "\(partials)")
                #expect(second.stop() == 0)
            }
        }

        /// The daemon's files at the top of `folder`, each with its size and modification time.
        private static func listing(_ folder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
                let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
                let size = attributes[.size] as? Int ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                return "\(name) \(size) \(modified)"
            }
        }

        /// Runs a vmbackupd that is expected to refuse to start; `timeout` ends one that does not.
        private static func runDaemon(socket: String, state: String, target: String) throws -> Shell.Output {
            try Shell.run(
                [
                    "timeout", "30", TestHost.binDirectory + "/vmbackupd", "--socket", socket, "--state-dir", state,
                    "--target-dir", target,
                ], check: false)
        }
    }
}

/// A backup of a running guest held at the start of its stream (`VMBACKUPD_HOLD_AT`) while a
/// test acts; then let go, it must succeed and leave the guest thawed and on its own images.
private struct HeldBackup {
    let daemon: Daemon
    let guest: TestGuest
    let original: [String: String]
    let holdFile: String

    func run(_ body: () throws -> Void) throws {
        #expect(FileManager.default.createFile(atPath: holdFile, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: holdFile) }
        let heldBefore = timesHeld()
        let accepted = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: "{}")
        #expect(accepted.status == 202, "\(accepted.body)")
        let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(accepted.body.utf8))
        try waitUntilHeld(more: heldBefore)
        let partials = daemon.targetEntries().filter { $0.contains("/.partial-") }
        #expect(partials.count == 1, "\(partials)")
        let running = try guest.diskSources()
        #expect(running != original, "the guest writes to its overlay while the backup streams")

        try body()

        #expect(daemon.isRunning)
        #expect(try daemon.request("GET", "/v1/status").status == 200, "the first daemon still answers")
        #expect(daemon.targetEntries().filter { $0.contains("/.partial-") } == partials, "its partial folder is there")
        #expect(try guest.diskSources() == running, "its overlay is still there, uncommitted")
        try FileManager.default.removeItem(atPath: holdFile)
        let finished = try daemon.waitForTask(task.id)
        #expect(finished.state == .succeeded, "\(String(describing: finished.error))\n\(daemon.logText)")
        try BackupImage.expectReadsBack(try #require(finished.result))
        #expect(try guest.diskSources() == original, "back on its images")
        #expect(try guest.strayFiles() == [])
        #expect(try guest.freezeStatus() == "thawed")
        #expect(daemon.targetEntries().allSatisfy { !$0.contains("/.partial-") })
    }

    /// How often the daemon's log says a job was held.
    private func timesHeld() -> Int {
        daemon.logText.components(separatedBy: "holding the job while").count - 1
    }

    private func waitUntilHeld(more than: Int) throws {
        for _ in 0..<600 {
            if timesHeld() > than,
                daemon.targetEntries().contains(where: { $0.contains("/.partial-") })
            {
                return
            }
            usleep(100_000)
        }
        throw Shell.Failure(
            command: ["wait for the held backup"], output: .init(status: 1, stdout: "", stderr: daemon.logText))
    }
}
