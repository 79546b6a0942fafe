import Foundation

/// Runs LVMSnapshotCheck once inside the kernel VM of scripts/testhost/kernel-vm-run.sh (this
/// host has no device-mapper; the VM boots the Debian kernel, which has) and keeps its report for
/// every test that asks. One boot costs 10-20 s under software emulation.
enum KernelVMCheck {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("scripts/testhost/kernel-vm-run.sh")

    /// Whether this host can boot the kernel VM: root, a Debian kernel, QEMU, busybox.
    static var isAvailable: Bool {
        let kernels = (try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? []
        return getuid() == 0
            && kernels.contains { $0.hasPrefix("vmlinuz-") && $0.hasSuffix("-amd64") }
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-system-x86_64")
            && FileManager.default.isExecutableFile(atPath: "/bin/busybox")
    }

    /// The report of the one run, started by the first test that needs it.
    static let report = Task { try await run() }

    /// The checker is built beside the test bundle; `swift build` puts both in the same folder.
    static func checker() throws -> URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            packageRoot.appendingPathComponent(".build/debug"),
        ]
        for folder in candidates.compactMap({ $0 }) {
            let url = folder.resolvingSymlinksInPath().appendingPathComponent("LVMSnapshotCheck")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw KernelVMFailure(description: "LVMSnapshotCheck is not built; run `swift build` first")
    }

    private static func run() async throws -> LVMSnapshotCheckReport {
        // scripts/test.sh boots the VM before the unit tests, so that it runs on the core they
        // leave idle (they run one at a time): its folder gets report.json, console.txt and,
        // once the VM is done, status.
        if let folder = ProcessInfo.processInfo.environment["VMBACKUP_LVM_CHECK_DIR"], !folder.isEmpty {
            return try await startedEarlier(in: URL(fileURLWithPath: folder))
        }
        let checker = try checker()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-lvm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("vda.img")
        let small = folder.appendingPathComponent("vdb.img")
        let reportURL = folder.appendingPathComponent("report.json")
        let console = folder.appendingPathComponent("console.txt")
        for (file, size) in [(big, UInt64(1) << 30), (small, UInt64(64) << 20), (console, 0)] {
            guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                throw KernelVMFailure(description: "cannot create \(file.path)")
            }
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: size)
            try handle.close()
        }
        let process = Process()
        process.executableURL = script
        process.currentDirectoryURL = packageRoot
        process.arguments = [
            "--disk", big.path, "--disk", small.path, "--share", folder.path, "--",
            checker.path, "--scratch-disks", reportURL.path,
        ]
        let output = try FileHandle(forWritingTo: console)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let status = try await terminationStatus(of: process)
        guard status == 0, let data = FileManager.default.contents(atPath: reportURL.path) else {
            let log = (try? String(contentsOf: console, encoding: .utf8)) ?? ""
            throw KernelVMFailure(
                description: "kernel-vm-run.sh ended with \(status) and no report; output:\n\(log.suffix(4000))")
        }
        return try JSONDecoder().decode(LVMSnapshotCheckReport.self, from: data)
    }

    /// The report of the run scripts/test.sh started, once its `status` file says it ended.
    private static func startedEarlier(in folder: URL) async throws -> LVMSnapshotCheckReport {
        let statusFile = folder.appendingPathComponent("status")
        for _ in 0..<3000 where !FileManager.default.fileExists(atPath: statusFile.path) {
            try await Task.sleep(for: .milliseconds(200))
        }
        let status = (try? String(contentsOf: statusFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == "0",
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent("report.json").path)
        else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("console.txt"), encoding: .utf8)) ?? ""
            throw KernelVMFailure(
                description: "kernel-vm-run.sh ended with \(status ?? "no status in 600 s") and no report; output:\n"
                    + "\(log.suffix(4000))")
        }
        return try JSONDecoder().decode(LVMSnapshotCheckReport.self, from: data)
    }

    private static func terminationStatus(of process: Process) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

struct KernelVMFailure: Error, CustomStringConvertible {
    var description: String
}
