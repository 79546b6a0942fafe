import APIModel
import Foundation
import Testing

extension Integration {
    /// libvirtd restarting under a backup, and a domain destroyed, started or undefined during
    /// one: checked from outside (virsh, the files beside the image, the target, the API).
    /// One small guest without an agent serves every test; no other domain is touched.
    @Suite(ResilienceGuest.shared) struct LibvirtResilienceTests {
        @Test func aLibvirtdRestartWhileABackupStreamsLeavesNoOverlayAndTheBackupSucceeds() throws {
            let guest = try ResilienceGuest.suiteGuest()
            let original = try guest.diskSources()
            let held = try PausedBackup(guest, at: "streaming")
            defer { LibvirtdRestart.ensureRunning() }

            try LibvirtdRestart.stop()
            try LibvirtdRestart.start()
            let info = try held.goOn()

            #expect(info.state == .succeeded, "\(info.error?.message ?? "")\n\(held.daemon.logText)")
            try ResilienceGuest.expectOnOriginalImages(guest, original)
            #expect(try held.daemon.request("GET", "/v1/status").status == 200, "the daemon still answers")
            try BackupImage.expectReadsBack(try #require(info.result))
            #expect(
                held.daemon.logText.contains("the libvirt connection for domain events was lost"),
                "the event watch noticed the restart")
        }

        @Test func aLibvirtdDownWhenTheCommitBeginsIsWaitedForAndTheOverlayMergedBack() throws {
            let guest = try ResilienceGuest.suiteGuest()
            let original = try guest.diskSources()
            let held = try PausedBackup(guest, at: "merging")
            defer { LibvirtdRestart.ensureRunning() }

            try LibvirtdRestart.stop()
            // The job goes on to commit while libvirtd is down; it is back two seconds later.
            try held.letGo()
            sleep(2)
            try LibvirtdRestart.start()
            let info = try held.daemon.waitForTask(held.task.id, timeoutSeconds: 120)

            #expect(info.state == .succeeded, "\(info.error?.message ?? "")\n\(held.daemon.logText)")
            try ResilienceGuest.expectOnOriginalImages(guest, original)
            #expect(try held.daemon.request("GET", "/v1/status").status == 200)
            try BackupImage.expectReadsBack(try #require(info.result))
        }

        @Test func aDomainDestroyedMidBackupAndStartedAgainIsMergedBackWithoutAnotherBackup() throws {
            let guest = try ResilienceGuest.suiteGuest()
            let original = try guest.diskSources()
            let held = try PausedBackup(guest, at: "streaming")

            _ = try TestHost.virsh(["destroy", guest.name])
            let info = try held.goOn()
            #expect(info.state == .failed, "the overlay cannot be merged while the domain is down")
            #expect(held.daemon.targetEntries().isEmpty, "nothing published: \(held.daemon.targetEntries())")
            #expect(try guest.strayFiles().count == 1, "the overlay holds the guest's writes and is kept")

            let started = Date()
            _ = try TestHost.virsh(["start", guest.name])
            try ResilienceGuest.waitUntil(seconds: 20) { (try? guest.strayFiles()) == [] }
            let took = Date().timeIntervalSince(started)
            try ResilienceGuest.expectOnOriginalImages(guest, original)
            #expect(took < 20, "merged back \(took) s after the start")
            let status = try APIJSON.decoder().decode(
                DaemonStatus.self, from: Data(try held.daemon.cli(["status", "--json"]).stdout.utf8))
            #expect(status.unresolvedRecoveries ?? [] == [], "no open journal entry is left")
            #expect(held.daemon.logText.contains("merging them back now"), "\(held.daemon.logText)")
        }

        @Test func aDomainUndefinedMidBackupFailsTheBackupCleanly() throws {
            let guest = try ResilienceGuest.suiteGuest()
            let original = try guest.diskSources()
            let definition = try TestHost.virsh(["dumpxml", "--inactive", guest.name]).stdout
            let held = try PausedBackup(guest, at: "streaming")
            defer {
                // The domain runs on as a transient one: defined again for the next test.
                let file = NSTemporaryDirectory() + "vmbt-lv-definition-\(UUID().uuidString.prefix(8)).xml"
                try? definition.write(toFile: file, atomically: true, encoding: .utf8)
                _ = try? TestHost.virsh(["define", file], check: false)
                try? FileManager.default.removeItem(atPath: file)
            }

            _ = try TestHost.virsh(["undefine", guest.name])
            let info = try held.daemon.waitForTask(held.task.id, timeoutSeconds: 120)

            #expect(info.state == .failed)
            #expect(info.error?.code == .vmNotFound, "\(info.error?.message ?? "")\n\(held.daemon.logText)")
            #expect(info.error?.message.contains("undefined") == true)
            #expect(
                held.daemon.targetEntries().isEmpty, "nothing published, no partial: \(held.daemon.targetEntries())")
            #expect(try guest.diskSources() == original, "the running domain is back on its image")
            #expect(try guest.strayFiles() == [], "no overlay is left")
            try? FileManager.default.removeItem(atPath: held.holdFile)
        }
    }
}

/// A daemon whose one backup of `guest` waits at a hold point while a file exists.
struct PausedBackup {
    let daemon: Daemon
    let holdFile: String
    let task: TaskInfo

    init(_ guest: TestGuest, at point: String) throws {
        let holdFile = NSTemporaryDirectory() + "vmbt-lv-hold-\(UUID().uuidString.prefix(8))"
        _ = FileManager.default.createFile(atPath: holdFile, contents: nil)
        let daemon = try Daemon.start(
            environment: ["VMBACKUPD_HOLD_AT": point, "VMBACKUPD_HOLD_WHILE": holdFile])
        let accepted = try daemon.request("POST", "/v1/vms/\(guest.name)/backups", body: #"{"quiesce":"off"}"#)
        guard accepted.status == 202 else {
            throw Shell.Failure(command: ["POST backup"], output: .init(status: 1, stdout: accepted.body, stderr: ""))
        }
        let task = try APIJSON.decoder().decode(TaskInfo.self, from: Data(accepted.body.utf8))
        try ResilienceGuest.waitUntil(seconds: 60) {
            daemon.logText.contains("VMBACKUPD_HOLD_AT=\(point): holding")
        }
        self.daemon = daemon
        self.holdFile = holdFile
        self.task = task
    }

    /// Lets the job go on.
    func letGo() throws {
        try FileManager.default.removeItem(atPath: holdFile)
    }

    /// Lets the job go on and waits for its end.
    func goOn() throws -> TaskInfo {
        try letGo()
        return try daemon.waitForTask(task.id, timeoutSeconds: 120)
    }
}

/// The suite's one guest: `vmbt-lv-resilience`, a 16 MiB qcow2 disk, no agent.
enum ResilienceGuest {
    @TaskLocal static var current: TestGuest?

    static var shared: Scope { Scope() }

    struct Scope: SuiteTrait, TestScoping {
        var isRecursive: Bool { false }

        func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            LibvirtdRestart.ensureRunning()
            let guest = try TestGuest.make("lv-resilience", disks: [(16, "qcow2")], agent: false)
            defer { guest.remove() }
            try await ResilienceGuest.$current.withValue(guest) { try await function() }
        }
    }

    static func suiteGuest() throws -> TestGuest {
        let guest = try #require(current, "the suite has no guest")
        // A test that failed may have left the domain down.
        if try TestHost.virsh(["domstate", guest.name]).stdout.contains("shut off") {
            _ = try TestHost.virsh(["start", guest.name])
        }
        return guest
    }

    /// The domain runs on its original images, live and in its persistent definition, and no
    /// overlay is left beside them.
    static func expectOnOriginalImages(_ guest: TestGuest, _ original: [String: String]) throws {
        #expect(try guest.diskSources() == original, "the domain runs on its original images")
        let persistent = try TestHost.virsh(["dumpxml", "--inactive", guest.name]).stdout
        #expect(!persistent.contains(".overlay"), "the persistent definition names no overlay")
        #expect(try guest.strayFiles() == [], "no overlay file is left")
    }

    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(100_000)
        }
        throw Shell.Failure(
            command: ["wait"], output: .init(status: 1, stdout: "", stderr: "not within \(seconds) s"))
    }
}
