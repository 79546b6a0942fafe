import APIModel
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension Integration {
    /// `vmbackup mount`: a stored disk served read-only over NBD through the real daemon, CLI and
    /// qemu-nbd, read back with QEMU's tools. One tiny shut-off guest without an agent.
    @Suite struct MountTests {
        @Test func aMountedDiskReadsBackAsStoredRefusesWritesAndKeepsItsBackup() throws {
            let guest = try TestGuest.make("mount", disks: [(64, "qcow2"), (32, "raw")], agent: false, start: false)
            defer { guest.remove() }
            let daemon = try Daemon.start()
            defer { daemon.stop() }
            let backup = try Self.backUp(guest, daemon)
            let image = backup.location + "/vdb.qcow2"
            let before = try Shell.sha256(ofFile: image)

            // Two disks: the one to serve must be named.
            let unnamed = try daemon.cli(["mount", guest.name, "latest"])
            #expect(unnamed.status == 1)
            #expect(unnamed.stderr.contains("holds 2 disks (vda, vdb)"), "\(unnamed.stderr)")
            let unknown = try daemon.request(
                "POST", "/v1/vms/\(guest.name)/backups/latest/mount", body: #"{"disk":"vdz"}"#)
            #expect(unknown.status == 400)
            #expect(unknown.body.contains("its stored disks: vda, vdb"), "\(unknown.body)")

            let mount = try ForegroundCLI.start(daemon, ["mount", guest.name, backup.id, "--disk", "vdb", "--json"])
            defer { mount.kill() }
            let export = try APIJSON.decoder().decode(ExportSummary.self, from: Data(try mount.firstLine().utf8))
            #expect(export.backupID == backup.id && export.disk == "vdb" && export.vmName == guest.name)
            #expect(export.socket.hasPrefix(daemon.root + "/nbd/"))
            #expect(export.uri == "nbd+unix:///?socket=" + export.socket)
            let listed = try daemon.cli(["exports", "--json"])
            #expect(try APIJSON.decoder().decode([ExportSummary].self, from: Data(listed.stdout.utf8)) == [export])

            // The whole disk reads back through the socket as the stored image holds it.
            let copy = daemon.root + "/vdb.raw"
            try Shell.run(["qemu-img", "convert", "-f", "raw", "-O", "raw", export.uri, copy])
            let compared = try Shell.run(
                ["qemu-img", "compare", "-f", "raw", "-F", "qcow2", copy, image], check: false)
            #expect(compared.status == 0, "\(compared.stdout)\(compared.stderr)")
            // The export says it is read-only, and a write through it fails.
            let info = try Shell.run(["nbdinfo", "--json", export.uri]).stdout
            #expect(info.contains(#""is_read_only": true"#), "\(info)")
            let write = try Shell.run(["qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 64k", export.uri], check: false)
            #expect(write.status != 0, "\(write.stdout)")

            // The backup is neither deleted nor pruned while it is served.
            let delete = try daemon.cli(["delete", guest.name, backup.id])
            #expect(delete.status == 5, "\(delete.stderr)")
            #expect(delete.stderr.contains("vmbackup unmount \(export.id)"), "\(delete.stderr)")
            let refused = try daemon.request("DELETE", "/v1/vms/\(guest.name)/backups/\(backup.id)")
            #expect(refused.status == 409)
            #expect(refused.body.contains("backup_in_use"))

            // Ctrl-C stops the export: the socket goes, and the backup can be deleted.
            mount.signal(SIGINT)
            #expect(mount.waitForExit(seconds: 30) == 0, "\(mount.stderr)")
            #expect(mount.stderr.contains("Stopped export \(export.id)"), "\(mount.stderr)")
            #expect(!FileManager.default.fileExists(atPath: export.socket))
            #expect(Self.qemuNBDs(of: daemon).isEmpty)
            #expect(try daemon.cli(["exports"]).stdout.contains("No exports"))
            #expect(try Shell.sha256(ofFile: image) == before, "the stored image is unchanged")
            let deleted = try daemon.cli(["delete", guest.name, backup.id])
            #expect(deleted.status == 0, "\(deleted.stderr)")
        }

        @Test func anExportOutlivesAKilledCLIButNeverTheDaemon() throws {
            let guest = try TestGuest.make("mount-left", disks: [(64, "qcow2")], agent: false, start: false)
            defer { guest.remove() }
            var daemon = try Daemon.start()
            defer { daemon.stop() }
            let backup = try Self.backUp(guest, daemon)

            // A CLI killed outright leaves its export; vmbackup unmount stops it.
            let mount = try ForegroundCLI.start(daemon, ["mount", guest.name, "latest"])
            let text = try mount.firstLine(containing: "Serving until Ctrl-C")
            #expect(text.contains("guestfish --ro"), "\(text)")
            mount.signal(SIGKILL)
            _ = mount.waitForExit(seconds: 10)
            let left = try APIJSON.decoder().decode(
                [ExportSummary].self, from: Data(try daemon.cli(["exports", "--json"]).stdout.utf8))
            let export = try #require(left.first)
            #expect(left.count == 1 && export.backupID == backup.id && export.disk == "vda")
            let unmounted = try daemon.cli(["unmount", export.id])
            #expect(unmounted.status == 0, "\(unmounted.stderr)")
            #expect(!FileManager.default.fileExists(atPath: export.socket))
            let again = try daemon.cli(["unmount", export.id])
            #expect(again.status == 4, "\(again.stderr)")

            // A graceful stop of the daemon stops its exports.
            let first = try daemon.request("POST", "/v1/vms/\(guest.name)/backups/latest/mount")
            #expect(first.status == 201, "\(first.body)")
            let served = try APIJSON.decoder().decode(ExportSummary.self, from: Data(first.body.utf8))
            #expect(daemon.stop() == 0)
            #expect(!FileManager.default.fileExists(atPath: served.socket))
            #expect(Self.qemuNBDs(of: daemon).isEmpty)

            // A daemon killed outright takes its qemu-nbd with it, and the next one starts clean.
            daemon = try Daemon.start(root: daemon.detach())
            let second = try daemon.request("POST", "/v1/vms/\(guest.name)/backups/latest/mount")
            #expect(second.status == 201, "\(second.body)")
            #expect(Self.qemuNBDs(of: daemon).count == 1)
            daemon.signal(SIGKILL)
            #expect(daemon.waitForExit(seconds: 10))
            for _ in 0..<100 where !Self.qemuNBDs(of: daemon).isEmpty { usleep(100_000) }
            #expect(Self.qemuNBDs(of: daemon).isEmpty, "qemu-nbd outlived the daemon")
            daemon = try Daemon.start(root: daemon.detach())
            #expect(try daemon.cli(["exports"]).stdout.contains("No exports"))
            let sockets = (try? FileManager.default.contentsOfDirectory(atPath: daemon.root + "/nbd")) ?? []
            #expect(sockets.isEmpty, "\(sockets)")
            #expect(try daemon.cli(["delete", guest.name, backup.id]).status == 0)
        }

        /// Backs the guest up through the CLI and returns the backup.
        private static func backUp(_ guest: TestGuest, _ daemon: Daemon) throws -> BackupSummary {
            let run = try daemon.cli(["backup", guest.name, "--wait", "--json"])
            #expect(run.status == 0, "\(run.stderr)\n\(daemon.logText)")
            return try #require(try APIJSON.decoder().decode(TaskInfo.self, from: Data(run.stdout.utf8)).result)
        }

        /// The qemu-nbd processes serving a socket in the daemon's export folder.
        private static func qemuNBDs(of daemon: Daemon) -> [Int32] {
            let prefix = "--socket=" + daemon.root + "/nbd/"
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry in
                guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { return nil }
                let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                guard arguments.first?.hasSuffix("qemu-nbd") == true,
                    arguments.contains(where: { $0.hasPrefix(prefix) })
                else { return nil }
                return pid
            }
        }
    }
}

/// A `vmbackup` command that stays in the foreground (`vmbackup mount`), its output in files.
final class ForegroundCLI {
    private let process: Process
    private let stdoutPath: String
    private let stderrPath: String

    private init(process: Process, stdoutPath: String, stderrPath: String) {
        self.process = process
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    static func start(_ daemon: Daemon, _ arguments: [String]) throws -> ForegroundCLI {
        let name = "/cli-" + UUID().uuidString.prefix(8)
        let stdoutPath = daemon.root + name + ".out"
        let stderrPath = daemon.root + name + ".err"
        for path in [stdoutPath, stderrPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestHost.binDirectory + "/vmbackup")
        process.arguments = ["--socket", daemon.socket] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
        return ForegroundCLI(process: process, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits (up to a minute) for the first whole line on stdout.
    func firstLine() throws -> String {
        let text = try waitForStdout { $0.contains("\n") }
        return String(text.prefix { $0 != "\n" })
    }

    /// Waits (up to a minute) until stdout holds `marker`; returns all of it.
    func firstLine(containing marker: String) throws -> String {
        try waitForStdout { $0.contains(marker) }
    }

    private func waitForStdout(until done: (String) -> Bool) throws -> String {
        for _ in 0..<600 {
            let text = stdout
            if done(text) { return text }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        throw Shell.Failure(
            command: ["vmbackup"] + (process.arguments ?? []),
            output: .init(status: process.isRunning ? -1 : process.terminationStatus, stdout: stdout, stderr: stderr))
    }

    func signal(_ number: Int32) {
        if process.isRunning { Glibc.kill(process.processIdentifier, number) }
    }

    /// Waits up to `seconds` for the command to exit; its exit status, or nil while it runs.
    func waitForExit(seconds: Int) -> Int32? {
        for _ in 0..<(seconds * 10) where process.isRunning { usleep(100_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Kills the command if it still runs.
    func kill() {
        signal(SIGKILL)
        if process.isRunning { process.waitUntilExit() }
    }
}
