import APIModel
import Foundation
import Testing

/// A real vmbackupd started from the build folder on a temporary socket and target.
final class Daemon {
    let root: String
    let socket: String
    let targetDirectory: String
    let log: String
    private let process: Process

    private init(root: String, targetDirectory: String?, process: Process) {
        self.root = root
        self.socket = root + "/vmbackupd.sock"
        self.targetDirectory = targetDirectory ?? root + "/backups"
        self.log = root + "/vmbackupd.log"
        self.process = process
    }

    /// Starts the daemon and waits until its socket answers. `config`, when given, is written to
    /// `<root>/vmbackupd.toml` and passed with `--config`; the flags for the socket, state and
    /// target folders win over it. `root` reuses the folder of an earlier daemon (its state and
    /// target). `targetDirectory` puts the default target elsewhere (another daemon's, say).
    /// `environment` is added to the daemon's.
    static func start(
        config: String? = nil, root reused: String? = nil, targetDirectory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Daemon {
        let root = try reused ?? TestHost.makeWorkDirectory("daemon")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestHost.binDirectory + "/vmbackupd")
        process.arguments = flags(root: root, targetDirectory: targetDirectory) + ["--log-level", "debug"]
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let config {
            try config.write(toFile: root + "/vmbackupd.toml", atomically: true, encoding: .utf8)
            process.arguments? += ["--config", root + "/vmbackupd.toml"]
        }
        if !FileManager.default.fileExists(atPath: root + "/vmbackupd.log") {
            _ = FileManager.default.createFile(atPath: root + "/vmbackupd.log", contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/vmbackupd.log"))
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let daemon = Daemon(root: root, targetDirectory: targetDirectory, process: process)
        for _ in 0..<200 {
            if (try? daemon.request("GET", "/v1/status"))?.status == 200 { return daemon }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        let text = (try? String(contentsOfFile: daemon.log, encoding: .utf8)) ?? ""
        daemon.stop()
        throw Shell.Failure(
            command: ["vmbackupd"], output: .init(status: 1, stdout: "", stderr: "did not start: \(text)"))
    }

    /// The flags that put a daemon's socket, state and target under `root` (the target at
    /// `targetDirectory` when given).
    static func flags(root: String, targetDirectory: String? = nil) -> [String] {
        [
            "--socket", root + "/vmbackupd.sock", "--state-dir", root + "/state",
            "--target-dir", targetDirectory ?? root + "/backups",
        ]
    }

    /// The daemon's process id.
    var pid: Int32 { process.processIdentifier }

    /// Sends a signal to the daemon.
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Stops the daemon but keeps its folder, for another daemon to start on.
    func detach() -> String {
        keepsRoot = true
        stop()
        return root
    }

    private var keepsRoot = false

    /// SIGTERM, then waits for the daemon to exit; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    var isRunning: Bool { process.isRunning }

    /// Waits until the daemon has exited by itself (or up to `seconds`); returns whether it did.
    func waitForExit(seconds: Int) -> Bool {
        for _ in 0..<(seconds * 10) where process.isRunning { usleep(100_000) }
        return !process.isRunning
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Runs the CLI against this daemon.
    func cli(_ arguments: [String]) throws -> Shell.Output {
        try Shell.run([TestHost.binDirectory + "/vmbackup", "--socket", socket] + arguments, check: false)
    }

    /// One raw HTTP request over the socket, as an administrator would send it with curl.
    func request(_ method: String, _ path: String, body: String? = nil) throws -> (status: Int, body: String) {
        var command = [
            "curl", "-sS", "--max-time", "30", "--unix-socket", socket, "-X", method, "-w", "\n%{http_code}",
        ]
        if let body { command += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let output = try Shell.run(command + ["http://localhost" + path])
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// Waits for a task to finish and returns it.
    func waitForTask(_ id: String, timeoutSeconds: Int = 300) throws -> TaskInfo {
        for _ in 0..<(timeoutSeconds * 10) {
            let (_, body) = try request("GET", "/v1/tasks/\(id)")
            let info = try APIJSON.decoder().decode(TaskInfo.self, from: Data(body.utf8))
            if info.state.isFinished { return info }
            usleep(100_000)
        }
        throw Shell.Failure(command: ["task \(id)"], output: .init(status: 1, stdout: "", stderr: "did not finish"))
    }

    /// Published backups and partial folders of every VM under the target.
    func targetEntries() -> [String] {
        let fm = FileManager.default
        let vms = (try? fm.contentsOfDirectory(atPath: targetDirectory)) ?? []
        return vms.flatMap { vm in
            ((try? fm.contentsOfDirectory(atPath: targetDirectory + "/" + vm)) ?? []).map { vm + "/" + $0 }
        }
    }

    /// Stops the daemon and removes its folder (socket, log, target): test failures quote the log.
    deinit {
        stop()
        if !keepsRoot { try? FileManager.default.removeItem(atPath: root) }
    }
}

/// Reads backup images the way a restore would: QEMU's tools, a loop mount, read only.
enum BackupImage {
    /// SHA-256 of an image's guest-visible content.
    static func contentHash(_ image: String, format: String = "qcow2") throws -> String {
        let raw = image + ".check.raw"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try Shell.run(["qemu-img", "convert", "-q", "-f", format, "-O", "raw", image, raw])
        return try Shell.sha256(ofFile: raw)
    }

    /// The chunk index file of an image's guest-visible content (docs/FORMAT.md), made with
    /// QEMU's tools and coreutils alone: `qemu-img convert -O raw`, `split -b 1M -d -a 10`,
    /// `sha256sum`, leaving out the chunks whose digest is that of zeros.
    static func chunkIndex(_ image: String, format: String = "qcow2", chunkSize: Int = 1 << 20) throws -> String {
        let work = image + ".chunks"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Shell.run(["qemu-img", "convert", "-q", "-f", format, "-O", "raw", image, work + "/content.raw"])
        try Shell.run(["split", "-b", String(chunkSize), "-d", "-a", "10", work + "/content.raw", work + "/chunk-"])
        try FileManager.default.removeItem(atPath: work + "/content.raw")
        let chunks = try FileManager.default.contentsOfDirectory(atPath: work).sorted().map { work + "/" + $0 }
        let sums = try Shell.run(["sha256sum"] + chunks).stdout
        var zeroDigests: [Int: String] = [:]
        var index = ""
        for line in sums.split(separator: "\n") {
            let digest = String(line.prefix(64))
            let path = String(line.dropFirst(66))
            let name = (path as NSString).lastPathComponent
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if zeroDigests[size] == nil {
                zeroDigests[size] = String(
                    try Shell.run(["sh", "-c", "head -c \(size) /dev/zero | sha256sum"]).stdout.prefix(64))
            }
            if digest != zeroDigests[size] { index += digest + "  " + name + "\n" }
        }
        return index
    }

    /// Expects the stored image of `target` in the backup folder `location` to read back as its
    /// chunk index says, and the index file to hash to the manifest's digest.
    static func expectMatchesIndex(_ location: String, target: String, digest: String?) throws {
        let image = location + "/" + target + ".qcow2"
        let stored = location + "/" + target + ".index"
        #expect(
            try chunkIndex(image)
                == String(decoding: FileManager.default.contents(atPath: stored) ?? Data(), as: UTF8.self),
            "disk \(target) reads back as its chunk index says")
        #expect(try Shell.sha256(ofFile: stored) == digest, "the index of \(target) hashes to the manifest's digest")
    }

    /// Reads every stored image of `backup` back with qemu-img and expects its guest-visible
    /// content to match its chunk index, and the index the manifest's digest.
    static func expectReadsBack(_ backup: BackupSummary) throws {
        let stored = backup.disks.filter { $0.excluded == nil }
        #expect(!stored.isEmpty, "the backup holds a disk")
        for disk in stored {
            try expectMatchesIndex(backup.location, target: disk.target, digest: disk.digest)
        }
    }

    /// Converts the image to raw, loop-mounts its ext4 and hands `body` the mount point.
    /// `replayJournal` mounts read-write (for a live image of a guest that was destroyed).
    static func withFilesystem<T>(
        of image: String, format: String = "qcow2", replayJournal: Bool = false, _ body: (String) throws -> T
    ) throws -> T {
        let raw = image + ".mount.raw"
        let mountPoint = image + ".mnt"
        try Shell.run(["qemu-img", "convert", "-q", "-f", format, "-O", "raw", image, raw])
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer {
            _ = try? Shell.run(["umount", mountPoint], check: false)
            try? FileManager.default.removeItem(atPath: mountPoint)
            try? FileManager.default.removeItem(atPath: raw)
        }
        try Shell.run(["mount", "-o", replayJournal ? "loop" : "loop,ro,noload", raw, mountPoint])
        return try body(mountPoint)
    }
}
