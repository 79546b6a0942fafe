import APIModel
import Foundation
import Testing

/// A guest agent stuck in its freeze hook: the freeze is given up in bounded time, the backup
/// goes on crash-consistent, and the guest (which the agent freezes late, once the hook returns)
/// is thawed in the background, across a kill -9 of the daemon.
extension Integration {
    @Suite struct HungAgentTests {
        /// How long the guest's freeze hook hangs: long enough for the backups and the restart
        /// below, short enough for the late freeze to happen within the test.
        static let hangSeconds = 24

        @Test func aFreezeThatHangsIsGivenUpAndTheGuestIsThawedInTheBackground() throws {
            let guest = try TestGuest.make(
                "fz-hang", disks: [(16, "qcow2")], cmdline: "ga_hook=hang:\(Self.hangSeconds)")
            defer { guest.remove() }
            let original = try guest.diskSources()
            let known = try guest.writeKnownFiles(on: ["vda"])[0]
            let config = "[backup]\nfreeze_timeout = 2\nagent_timeout = 3\n"
            var daemon = try Daemon.start(config: config)
            defer { daemon.stop() }

            // preferred (the default): the freeze is given up after freeze_timeout, the backup
            // goes on crash-consistent, well before the hook returns.
            let frozeAt = Date()
            let first = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(first.status == 0, "\(first.stderr)\n\(daemon.logText)")
            let backup = try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(first.stdout.utf8)).result)
            #expect(backup.consistency == .crash)
            #expect(Date().timeIntervalSince(frozeAt) < Double(Self.hangSeconds) - 6, "the freeze was bounded")
            #expect(try guest.diskSources() == original)
            #expect(try guest.strayFiles() == [])
            #expect(!daemon.logText.contains("thawed guest filesystems"), "no thaw is claimed that did not happen")
            #expect(try pending(daemon).map(\.vmName) == [guest.name])
            let status = try daemon.cli(["status"])
            #expect(
                status.stdout.contains("MAY STILL BE FROZEN") && status.stdout.contains(guest.name), "\(status.stdout)")

            // While the agent is stuck: quiesce cannot be required, and the message says what works.
            let required = try daemon.cli(["backup", guest.name, "--quiesce", "required", "--wait"])
            #expect(required.status != 0)
            #expect(required.stderr.contains("--quiesce off"), "\(required.stderr)")
            let off = try daemon.cli(["backup", guest.name, "--quiesce", "off", "--wait", "--json"])
            #expect(off.status == 0, "\(off.stderr)\n\(daemon.logText)")

            // The background thaw outlives the daemon.
            daemon.signal(SIGKILL)
            #expect(daemon.waitForExit(seconds: 10))
            let root = daemon.detach()
            daemon = try Daemon.start(config: config, root: root)
            #expect(
                Date().timeIntervalSince(frozeAt) < Double(Self.hangSeconds),
                "the restart came before the hook returned, so the guest is still to be thawed")
            #expect(try pending(daemon).map(\.vmName) == [guest.name])

            // The hook returns, the agent freezes late, the daemon thaws on the agent's word.
            var left = try pending(daemon)
            for _ in 0..<900 where !left.isEmpty {
                usleep(100_000)
                left = try pending(daemon)
            }
            #expect(left.isEmpty, "the guest was thawed in the background\n\(daemon.logText)")
            #expect(try guest.freezeStatus() == "thawed")
            #expect(try guest.freezeCount() == 1, "no freeze was tried while the agent was stuck")
            _ = try guest.runInGuest("echo after >/mnt/vda/after && sync")
            #expect(daemon.logText.contains("its agent reports"), "\(daemon.logText)")

            // What was backed up reads back, with the file the guest wrote before.
            try BackupImage.expectReadsBack(backup)
            let stored = try BackupImage.withFilesystem(of: backup.location + "/vda.qcow2", replayJournal: true) {
                mount in
                try Shell.sha256(ofFile: mount + "/known")
            }
            #expect(stored == known)
        }

        private func pending(_ daemon: Daemon) throws -> [PendingThaw] {
            let (code, body) = try daemon.request("GET", "/v1/status")
            #expect(code == 200)
            return try APIJSON.decoder().decode(DaemonStatus.self, from: Data(body.utf8)).pendingThaws ?? []
        }
    }
}
