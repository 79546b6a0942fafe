import APIModel
import Foundation
import Targets
import Testing

extension Integration {
    /// The lvm method through the daemon and the CLI. This host has no device-mapper, so the whole
    /// scenario (volume groups, libvirtd, a domain on three logical volumes, vmbackupd, vmbackup) runs
    /// in one boot of scripts/testhost/kernel-vm-run.sh, and these tests read what it left behind.
    @Suite(
        .enabled(if: LVMDaemonScenario.isAvailable, "needs a Debian kernel in /boot, qemu-system-x86_64 and busybox"))
    struct LVMDaemonTests {
        @Test func aRunningDomainOnALogicalVolumeIsBackedUpFromAnLVMSnapshot() throws {
            let scenario = try LVMDaemonScenario.outcome.get()
            #expect(scenario.text("backup.status") == "0", "\(scenario.text("backup.stderr"))\n\(scenario.debug)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: scenario.data("task.json"))
            #expect(task.state == .succeeded)
            let backup = try #require(task.result)
            #expect(backup.consistency == .crash, "no guest agent, so crash consistent")
            #expect(backup.vmName == "vmbt-lvm")
            let manifest = try #require(scenario.manifest)
            let disk = try #require(manifest.disks.first(where: { $0.target == "vda" }))
            #expect(manifest.disks.filter { $0.excluded == nil }.map(\.target) == ["vda"], "only the disk asked for")
            #expect(disk.method == .lvm)
            let pattern = scenario.text("pattern.sha256")
            #expect(pattern.count == 64)
            #expect(disk.digest == scenario.image?.indexDigest, "the stored index describes the image")
            #expect(scenario.image?.contentHash == pattern, "the image's guest-visible content is the pattern")
            let volumes = try scenario.volumes("lvs-after.json")
            #expect(volumes.sorted() == LVMDaemonScenario.volumes, "no snapshot volume is left")
        }

        /// The backup of the thick LV written back over it while its domain is shut off, then the
        /// domain started: the LV holds the pattern again.
        @Test func aThickVolumeIsRestoredInPlaceAndTheDomainStarted() throws {
            let scenario = try LVMDaemonScenario.outcome.get()
            #expect(scenario.text("restore.status") == "0", "\(scenario.text("restore.stderr"))\n\(scenario.debug)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: scenario.data("restore.json"))
            let restored = try #require(task.restored)
            #expect(restored.mode == .inPlace)
            #expect(restored.disks.map(\.path) == ["/dev/vmbt/data"])
            #expect(scenario.text("changed.sha256") != scenario.text("pattern.sha256"), "the LV was changed")
            #expect(scenario.text("restored.sha256") == scenario.text("pattern.sha256"), "the LV holds the backup")
            #expect(scenario.text("restored.state") == "running")
        }

        @Test func aThinVolumeGetsAThinSnapshotByDefault() throws {
            let scenario = try LVMDaemonScenario.outcome.get()
            #expect(scenario.text("thin.status") == "0", "\(scenario.text("thin.stderr"))\n\(scenario.debug)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: scenario.data("thin.json"))
            let backup = try #require(task.result)
            let stored = backup.disks.filter { $0.excluded == nil }
            let disk = try #require(stored.first)
            #expect(stored.map(\.target) == ["vdb"])
            #expect(disk.method == .lvm, "a logical volume gets the lvm method without being told")
            let pattern = scenario.text("thin.sha256")
            #expect(pattern.count == 64)
            #expect(disk.digest == scenario.thinImage?.indexDigest, "the stored index describes the image")
            #expect(scenario.thinImage?.contentHash == pattern, "the image's guest-visible content is the pattern")
            #expect(try scenario.volumes("lvs-thin-after.json").sorted() == LVMDaemonScenario.volumes)
        }

        @Test func aSnapshotThatOverflowsWhileStreamingFailsTheBackupAndKeepsTheOrigin() throws {
            let scenario = try LVMDaemonScenario.outcome.get()
            #expect(scenario.text("overflow.status") != "0", "\(scenario.debug)")
            let task = try APIJSON.decoder().decode(TaskInfo.self, from: scenario.data("overflow.json"))
            #expect(task.state == .failed)
            #expect(task.result == nil)
            let error = try #require(task.error)
            #expect(error.code == .snapshotFailed)
            #expect(error.message.contains("overflowed"), "\(error.message)")
            #expect(error.message.contains("vmbt-lvm"))
            #expect(scenario.text("overflow.stderr").contains("overflowed"))
            #expect(try scenario.volumes("lvs-overflow-after.json").sorted() == LVMDaemonScenario.volumes)
            let expected = scenario.text("overflow-expected.sha256")
            #expect(expected.count == 64)
            #expect(scenario.text("overflow-origin.sha256") == expected, "the origin holds exactly what was written")
            #expect(scenario.text("overflow.partials").isEmpty, "no work folder is left")
            let entries = scenario.text("entries.txt").split(separator: "\n")
            let lvmUUID = try #require(scenario.manifest?.vmUUID)
            #expect(
                entries.filter { $0.hasPrefix(lvmUUID) }.count == 2, "only the backups of vda and vdb: \(entries)")
        }

        @Test func aVolumeGroupWithoutRoomFailsWithOneLineNamingItAndCreatesNothing() throws {
            let scenario = try LVMDaemonScenario.outcome.get()
            #expect(scenario.text("tight.status") != "0")
            let message = scenario.text("tight.stderr")
            #expect(!message.contains("\n"), "one line: \(message)")
            #expect(message.contains("volume group vmbt-tight has 0 B free"))
            #expect(message.contains("the snapshot of vmbt-tight/full needs 32.0 MiB"))
            #expect(message.contains("nothing was created"))
            let http = scenario.text("tight.http").split(separator: "\n")
            #expect(http.last == "412")
            let body = try JSONSerialization.jsonObject(with: Data((http.first ?? "").utf8)) as? [String: Any]
            let error = body?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "precondition_failed")
            #expect((error?["message"] as? String)?.contains("vmbt-tight") == true)
            #expect(try scenario.volumes("lvs-tight-after.json").sorted() == LVMDaemonScenario.volumes)
            let uuid = scenario.text("vm.uuid")
            #expect(!uuid.isEmpty)
            let entries = scenario.text("entries.txt").split(separator: "\n")
            #expect(
                entries.filter { $0.hasPrefix(uuid) }.count == 2, "no backup folder for the refused backup: \(entries)")
        }
    }
}

/// One boot of the kernel VM running scripts/testhost/lvm-daemon-scenario.sh, shared by every test.
/// It keeps what the scenario left in memory and removes its work folder unless the VM failed.
struct LVMDaemonScenario: Sendable {
    private let files: [String: Data]
    /// The manifest of the backup of vmbt-lvm and its image's guest-visible SHA-256, if it exists.
    let manifest: Manifest?
    let image: ReadBack?
    /// The guest-visible SHA-256 of the thin volume's backup image, if it exists.
    let thinImage: ReadBack?

    static var isAvailable: Bool {
        let kernels = (try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? []
        return getuid() == 0
            && kernels.contains { $0.hasPrefix("vmlinuz-") && $0.hasSuffix("-amd64") }
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-system-x86_64")
            && FileManager.default.isExecutableFile(atPath: "/bin/busybox")
    }

    /// Run once, by the first test that asks.
    static let outcome = Result { try run() }

    static let resultFiles = [
        "pattern.sha256", "task.json", "backup.status", "backup.stderr", "lvs-after.json", "tight.status",
        "tight.stderr", "tight.http", "lvs-tight-after.json", "entries.txt", "daemon.log",
        "failure.txt", "thin.json", "thin.status", "thin.stderr", "thin.sha256", "lvs-thin-after.json",
        "overflow.json", "overflow.status", "overflow.stderr", "overflow-expected.sha256",
        "overflow-origin.sha256", "lvs-overflow-after.json", "overflow.partials", "daemon2.log", "scenario.log",
        "vm.uuid",
        "restore.json", "restore.status", "restore.stderr", "changed.sha256", "restored.sha256", "restored.state",
    ]

    /// The scenario's own volumes: what every `lvs` must show once a backup has cleaned up.
    static let volumes = ["vmbt-tight/full", "vmbt/data", "vmbt/pool", "vmbt/thin"]

    private static func run() throws -> LVMDaemonScenario {
        // scripts/test.sh boots the scenario's VM during the unit tests, on the core they leave idle.
        if let folder = ProcessInfo.processInfo.environment["VMBACKUP_LVM_SCENARIO_DIR"], !folder.isEmpty {
            return try read(results: folder + "/results", output: startedEarlier(in: folder), work: folder)
        }
        let work = try TestHost.makeWorkDirectory("lvm-daemon")
        let results = work + "/results"
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        try Shell.run(["truncate", "-s", "1G", work + "/big.img"])
        try Shell.run(["truncate", "-s", "64M", work + "/small.img"])
        let output = try Shell.run(
            [
                TestHost.script("kernel-vm-run.sh"), "--mem", "2048", "--disk", work + "/big.img",
                "--disk", work + "/small.img", "--share", results, "--",
                "bash", TestHost.script("lvm-daemon-scenario.sh"), results, TestHost.binDirectory,
            ],
            // Both host cores: the daemon and the domains' QEMU inside the emulated VM share them
            // (the integration suites run one at a time); one core made this scenario 20-25% slower.
            environment: ["KVM_RUN_LOG": work + "/console.txt", "KVM_RUN_TIMEOUT": "600", "KVM_RUN_CPUS": "2"],
            check: false)
        try? FileManager.default.removeItem(atPath: work + "/big.img")
        try? FileManager.default.removeItem(atPath: work + "/small.img")
        let scenario = try read(results: results, output: output, work: work)
        try? FileManager.default.removeItem(atPath: work)
        return scenario
    }

    /// The outcome of the VM scripts/test.sh started in `folder`, once its `status` file says it
    /// ended (at most 15 minutes from now).
    private static func startedEarlier(in folder: String) throws -> Shell.Output {
        let statusFile = folder + "/status"
        for _ in 0..<4500 where !FileManager.default.fileExists(atPath: statusFile) { usleep(200_000) }
        let status = (try? String(contentsOfFile: statusFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let output = (try? String(contentsOfFile: folder + "/output.txt", encoding: .utf8)) ?? ""
        return Shell.Output(status: status.flatMap { Int32($0) } ?? -1, stdout: output, stderr: "")
    }

    /// What the scenario left in `results`; throws, keeping `work`, when its VM failed.
    private static func read(results: String, output: Shell.Output, work: String) throws -> LVMDaemonScenario {
        var files: [String: Data] = [:]
        for name in resultFiles {
            files[name] = FileManager.default.contents(atPath: results + "/" + name)
        }
        guard output.status == 0 else {
            let partial = LVMDaemonScenario(files: files, manifest: nil, image: nil, thinImage: nil)
            throw Shell.Failure(
                command: ["kernel-vm-run.sh", "lvm-daemon-scenario.sh"],
                output: .init(
                    status: output.status, stdout: "",
                    stderr: "\(output.stdout)\(output.stderr)\nkept \(work)\n\(partial.debug)"))
        }
        let (manifest, image) = try backupImage(of: files["task.json"])
        let (_, thinImage) = try backupImage(of: files["thin.json"])
        return LVMDaemonScenario(files: files, manifest: manifest, image: image, thinImage: thinImage)
    }

    /// A stored image read back: the SHA-256 of its guest-visible content, and of the chunk index
    /// made from it with QEMU's tools and coreutils.
    struct ReadBack {
        var contentHash: String
        var indexDigest: String
    }

    /// The manifest of the backup a task file names and its first disk image read back.
    private static func backupImage(of task: Data?) throws -> (Manifest?, ReadBack?) {
        guard let task, let backup = (try? APIJSON.decoder().decode(TaskInfo.self, from: task))?.result else {
            return (nil, nil)
        }
        let manifest = try Manifest.read(backup.location)
        guard let disk = manifest.disks.first(where: { $0.excluded == nil }), let file = disk.file else {
            return (manifest, nil)
        }
        let image = backup.location + "/" + file
        let format = disk.format ?? "qcow2"
        let index = try BackupImage.chunkIndex(image, format: format)
        return (
            manifest,
            ReadBack(
                contentHash: try BackupImage.contentHash(image, format: format),
                indexDigest: try Shell.sha256(ofText: index))
        )
    }

    func data(_ name: String) throws -> Data {
        guard let data = files[name] else {
            throw Shell.Failure(command: ["read \(name)"], output: .init(status: 1, stdout: "", stderr: "missing"))
        }
        return data
    }

    /// A result file's text without surrounding white space; empty when missing.
    func text(_ name: String) -> String {
        String(decoding: files[name] ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "vg/lv" of every logical volume in an `lvs --reportformat json` file.
    func volumes(_ name: String) throws -> [String] {
        struct Report: Decodable {
            struct Section: Decodable { var lv: [Volume] }
            struct Volume: Decodable { var lv_name: String, vg_name: String }
            var report: [Section]
        }
        return try JSONDecoder().decode(Report.self, from: data(name)).report.flatMap(\.lv)
            .map { $0.vg_name + "/" + $0.lv_name }
    }

    /// What helps when something inside the VM went wrong.
    var debug: String {
        """
        failure: \(text("failure.txt"))
        scenario:
        \(text("scenario.log"))
        daemon log (tail):
        \(text("daemon.log").suffix(3000))
        second daemon log (tail):
        \(text("daemon2.log").suffix(3000))
        """
    }
}
