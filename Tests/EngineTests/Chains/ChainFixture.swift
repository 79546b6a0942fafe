import APIModel
import Catalog
import Foundation
import Logging
import Scheduling
import Targets

@testable import Engine

/// A directory target holding one real incremental chain of a VM that libvirt does not define
/// (the engine runs on libvirt's test driver): a full backup of a 4 MiB `vda`, then incrementals
/// whose qcow2 images read through their parent's by relative path, each written with `qemu-io`
/// and described by a full chunk index, as docs/FORMAT.md says. Everything lies in one temporary
/// folder, removed afterwards.
struct ChainFixture {
    static let vmName = "web01"
    static let vmUUID = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)
    static let diskSize: UInt64 = 4 << 20

    /// What each backup of the chain writes over its parent, as `qemu-io` commands: the full one
    /// fills 3 MiB, the next overwrite parts of chunks, zero a chunk, and fill the empty one.
    static let writes = [
        "write -P 0x11 0 3M", "write -P 0x22 1M 64k", "write -P 0x33 2100k 8k", "write -z 0 1M",
        "write -P 0x44 3M 1M",
    ]

    let folder: String
    var targetFolder: String { folder + "/backups" }
    /// The backups' ids, oldest (the full one) first.
    let backupIDs: [String]

    /// Makes a chain of `count` backups an hour apart and runs `body` with an engine over them
    /// (retention keeps the last `keepLast` when set), then shuts the engine down.
    static func with(
        chainOf count: Int, keepLast: Int? = nil, _ body: (BackupEngine, ChainFixture) async throws -> Void
    ) async throws {
        let folder = "/tmp/vmbt-chain-" + UUID().uuidString.prefix(8).lowercased()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var ids: [String] = []
        for index in 0..<count {
            let created = epoch.addingTimeInterval(Double(index) * 3600)
            let id = BackupID.generate(at: created).rawValue
            try makeBackup(
                in: folder + "/backups", id: id, created: created, parent: ids.last, write: writes[index % writes.count]
            )
            ids.append(id)
        }
        let fixture = ChainFixture(folder: folder, backupIDs: ids)
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
                vmRules: rules, policies: policies, timeZone: TimeZone(identifier: "UTC")!),
            catalog: try BackupCatalog.inMemory(), identity: DaemonIdentity(host: "test", daemonID: "chain"),
            logger: Logger(label: "test.chain"))
        try await engine.rebuildCatalog()
        do {
            try await body(engine, fixture)
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
    }

    /// The folder of backup `id`.
    func location(_ id: String) -> String { targetFolder + "/" + Self.vmUUID + "/" + id }

    /// The stored image of `vda` of backup `id`.
    func image(_ id: String) -> String { location(id) + "/vda.qcow2" }

    /// The published backups left on the target, oldest first.
    func storedIDs() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: targetFolder + "/" + Self.vmUUID)
            .filter { FileManager.default.fileExists(atPath: location($0) + "/" + Manifest.fileName) }.sorted()
    }

    /// The manifest of backup `id`, as on the target.
    func manifest(_ id: String) throws -> Manifest {
        try Manifest.decode(try Data(contentsOf: URL(fileURLWithPath: location(id) + "/" + Manifest.fileName)))
    }

    /// The backing file the image of backup `id` names, as `qemu-img info` prints it.
    func backingFile(_ id: String) throws -> String? {
        let output = try Self.run(["qemu-img", "info", "--output=json", "-U", image(id)]).output
        let info = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return info?["backing-filename"] as? String
    }

    /// Whether what backup `id` reads through its chain is what its index says, and its index is
    /// the one its manifest's digest names.
    func contentMatchesIndex(_ id: String) throws -> Bool {
        let stored = try Data(contentsOf: URL(fileURLWithPath: location(id) + "/vda.index"))
        let manifest = try manifest(id)
        return try Self.index(of: image(id)).encoded() == Array(stored)
            && ChunkDigest(hashing: Array(stored)).hex == manifest.disks.first?.digest
    }

    /// The full chunk index of the guest-visible content of `image`: `qemu-img convert -O raw`,
    /// then 1 MiB chunks hashed, chunks of zeros left out.
    static func index(of image: String) throws -> ChunkIndex {
        let raw = image + ".raw"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try run(["qemu-img", "convert", "-q", "-U", "-f", "qcow2", "-O", "raw", image, raw])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
        let size = ChunkIndex.defaultChunkSize
        var entries: [ChunkIndex.Entry] = []
        for (number, start) in stride(from: 0, to: bytes.count, by: size).enumerated() {
            let chunk = Array(bytes[start..<min(start + size, bytes.count)])
            if chunk.contains(where: { $0 != 0 }) {
                entries.append(ChunkIndex.Entry(number: UInt64(number), digest: ChunkDigest(hashing: chunk)))
            }
        }
        return ChunkIndex(chunkSize: size, virtualSize: UInt64(bytes.count), entries: entries)
    }

    private static func makeBackup(in target: String, id: String, created: Date, parent: String?, write: String)
        throws
    {
        let location = target + "/" + vmUUID + "/" + id
        try FileManager.default.createDirectory(atPath: location, withIntermediateDirectories: true)
        let image = location + "/vda.qcow2"
        let backingFile = parent.map { "../\($0)/vda.qcow2" }
        if let backingFile {
            try run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", backingFile, "-F", "qcow2", image])
        } else {
            try run(["qemu-img", "create", "-q", "-f", "qcow2", image, String(diskSize)])
        }
        try run(["qemu-io", "-f", "qcow2", "-c", write, image])
        let index = try Self.index(of: image)
        try Data(index.encoded()).write(to: URL(fileURLWithPath: location + "/vda.index"))
        let storedBytes = (try FileManager.default.attributesOfItem(atPath: image)[.size] as? UInt64) ?? 0
        let manifest = Manifest(
            vmName: vmName, vmUUID: vmUUID, backupID: id, created: created, parent: parent, consistency: .crash,
            disks: [
                ManifestDisk(
                    target: "vda", method: .offline, format: "qcow2", virtualSize: diskSize, storedBytes: storedBytes,
                    index: "vda.index", chunkSize: ChunkIndex.defaultChunkSize, digest: index.digest, file: "vda.qcow2",
                    backingFile: backingFile),
                ManifestDisk(target: "sda", excluded: "cdrom"),
            ],
            level: parent == nil ? .full : .incremental)
        try manifest.encoded().write(to: URL(fileURLWithPath: location + "/" + Manifest.fileName))
    }

    /// Runs a command without a shell; returns its exit status and what it printed.
    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
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
        if process.terminationStatus != 0 {
            throw MountFixture.FixtureFailure(description: "\(arguments.joined(separator: " ")): \(output)")
        }
        return (process.terminationStatus, output)
    }
}
