import APIModel
import Catalog
import Foundation
import Logging
import Scheduling
import Targets

@testable import Engine

/// A directory target holding real backups of one VM that libvirt does not define (the engine runs
/// on libvirt's test driver), each with a real qcow2 image of `vda`, and an engine that serves
/// exports from a socket folder beside it. Everything lies in one temporary folder, removed
/// afterwards.
struct MountFixture {
    static let vmName = "web01"
    static let vmUUID = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    let folder: String
    var targetFolder: String { folder + "/backups" }
    var socketFolder: String { folder + "/nbd" }
    /// The backups' ids, oldest first.
    let backupIDs: [String]

    /// Makes `count` backups an hour apart, each with a 4 MiB disk holding 1 MiB of random data at
    /// 1 MiB (the rest zeros), and runs `body` with an engine over them (retention keeps the last
    /// one when `keepLast` is set), then shuts the engine down.
    static func with(
        backups count: Int = 1, keepLast: Int? = nil, _ body: (BackupEngine, MountFixture) async throws -> Void
    ) async throws {
        let folder = "/tmp/vmbt-mount-" + UUID().uuidString.prefix(8).lowercased()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var ids: [String] = []
        for index in 0..<count {
            let created = epoch.addingTimeInterval(Double(index) * 3600)
            let id = BackupID.generate(at: created).rawValue
            try makeBackup(in: folder + "/backups", id: id, created: created)
            ids.append(id)
        }
        let fixture = MountFixture(folder: folder, backupIDs: ids)
        var policies: [String: BackupPolicy] = [:]
        var rules: [VMRule] = []
        if let keepLast {
            policies["short"] = BackupPolicy(name: "short", retention: try RetentionPolicy(keepLast: keepLast))
            rules = [VMRule(selector: .all, policy: "short")]
        }
        let engine = try BackupEngine(
            settings: BackupEngine.Settings(
                libvirtURI: "test:///default",
                targets: [TargetSettings(name: TargetSettings.defaultName, directory: fixture.targetFolder)],
                vmRules: rules, policies: policies, timeZone: TimeZone(identifier: "UTC")!,
                exportSocketFolder: fixture.socketFolder),
            catalog: try BackupCatalog.inMemory(), identity: DaemonIdentity(host: "test", daemonID: "mount"),
            logger: Logger(label: "test.mount"))
        try await engine.rebuildCatalog()
        await engine.exportRegistry.removeLeftovers()
        do {
            try await body(engine, fixture)
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
    }

    /// The stored image of `vda` of backup `id`.
    func image(_ id: String) -> String {
        targetFolder + "/" + Self.vmUUID + "/" + id + "/vda.qcow2"
    }

    private static func makeBackup(in target: String, id: String, created: Date) throws {
        let location = target + "/" + vmUUID + "/" + id
        try FileManager.default.createDirectory(atPath: location, withIntermediateDirectories: true)
        let raw = location + "/vda.raw"
        var content = [UInt8](repeating: 0, count: 4 << 20)
        for offset in (1 << 20)..<(2 << 20) { content[offset] = UInt8.random(in: 1...255) }
        try Data(content).write(to: URL(fileURLWithPath: raw))
        try run(["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw, location + "/vda.qcow2"])
        try FileManager.default.removeItem(atPath: raw)
        let manifest = Manifest(
            vmName: vmName, vmUUID: vmUUID, backupID: id, created: created, consistency: .crash,
            disks: [
                ManifestDisk(
                    target: "vda", method: .offline, format: "qcow2", virtualSize: 4 << 20, storedBytes: 1 << 20,
                    sha256: String(repeating: "ab", count: 32), file: "vda.qcow2"),
                ManifestDisk(target: "sda", excluded: "cdrom"),
            ])
        try manifest.encoded().write(to: URL(fileURLWithPath: location + "/manifest.json"))
    }

    /// Runs a command without a shell; returns its exit status and what it printed.
    @discardableResult
    static func run(_ arguments: [String], check: Bool = true) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if check && process.terminationStatus != 0 {
            throw FixtureFailure(description: "\(arguments.joined(separator: " ")): \(output)")
        }
        return (process.terminationStatus, output)
    }

    struct FixtureFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The ids of the qemu-nbd processes serving a socket in `folder`.
    static func qemuNBDProcesses(servingIn folder: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return QemuNBDExportCommand.isExport(arguments: arguments, socketFolder: folder) ? pid : nil
        }
    }

    /// SHA-256 of a file, by `sha256sum`.
    static func sha256(_ path: String) throws -> String {
        String(try run(["sha256sum", path]).output.prefix(64))
    }
}
