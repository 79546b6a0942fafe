import Foundation
import Synchronization

/// A target that keeps everything in memory, for tests: the same behaviour as the directory
/// target (the conformance suite checks both), nothing on disk but the scratch files that
/// `writeImage(forDisk:producedBy:)` hands out.
public final class MemoryTarget: BackupTarget {
    /// One published backup: its manifest, domain XML and images by disk target.
    struct Backup: Sendable {
        var manifest: Manifest
        var domainXML: String?
        var images: [String: [UInt8]]
        /// Files beside the images (chunk indexes, NVRAM, TPM state) by name.
        var files: [String: [UInt8]] = [:]
    }

    struct State: Sendable {
        /// Published backups by VM UUID, then by id.
        var published: [String: [String: Backup]] = [:]
        /// The ids begun and neither committed nor aborted, by VM UUID. A VM once begun keeps its
        /// (maybe empty) entry in `published`, as the directory target keeps its folder.
        var begun: [String: Set<String>] = [:]
    }

    let state = Mutex(State())
    /// Where scratch files for images are made.
    let scratchFolder: String

    public init(scratchFolder: String = NSTemporaryDirectory()) {
        self.scratchFolder = scratchFolder
    }

    public var location: String { "memory" }

    public func begin(vmUUID: String, backupID: BackupID, job: String?) async throws -> any BackupWriter {
        try PathSafety.check(vmUUID, as: "VM UUID")
        try state.withLock { (state: inout State) throws(TargetError) in
            let id = backupID.rawValue
            guard state.published[vmUUID]?[id] == nil, state.begun[vmUUID]?.contains(id) != true else {
                throw TargetError("begin", path: Self.location(vmUUID, id), errno: EEXIST, reason: "it already exists")
            }
            state.begun[vmUUID, default: []].insert(id)
            if state.published[vmUUID] == nil { state.published[vmUUID] = [:] }
        }
        return MemoryWriter(target: self, vmUUID: vmUUID, backupID: backupID)
    }

    public func vmUUIDs() async throws -> [String] {
        state.withLock { $0.published.keys.sorted() }
    }

    public func list(vmUUID: String) async throws -> [StoredBackup] {
        try PathSafety.check(vmUUID, as: "VM UUID")
        let backups = state.withLock { $0.published[vmUUID].map { Array($0.values) } ?? [] }
        return backups.map { Self.stored($0.manifest) }.sorted {
            ($0.manifest.created, $0.manifest.backupID) < ($1.manifest.created, $1.manifest.backupID)
        }
    }

    public func backup(vmUUID: String, id: String) async throws -> StoredBackup {
        Self.stored(try published(vmUUID: vmUUID, id: id, for: "read").manifest)
    }

    public func readImage(vmUUID: String, id: String, disk: String) async throws -> ImageStream {
        let backup = try published(vmUUID: vmUUID, id: id, for: "read image of")
        let stored = backup.manifest.disks.contains { $0.target == disk && $0.excluded == nil && $0.file != nil }
        guard stored, let bytes = backup.images[disk] else {
            throw TargetError(
                "read image of", path: Self.location(vmUUID, id) + " disk " + disk, errno: ENOENT,
                reason: "no such stored disk")
        }
        return ImageStream(bytes: bytes)
    }

    /// Writes the image to a scratch file for `body`, and removes it afterwards.
    public func withImageFile<Result: Sendable>(
        vmUUID: String, id: String, disk: String, _ body: @Sendable (String) async throws -> Result
    ) async throws -> Result {
        let bytes = try await readImage(vmUUID: vmUUID, id: id, disk: disk).collect()
        let scratch = scratchFolder + "/vmbackup-memory-" + UUID().uuidString + "-" + disk
        guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes)) else {
            throw TargetError("write", path: scratch, errno: EIO, reason: "cannot make a scratch copy")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        return try await body(scratch)
    }

    /// Memory keeps no image as a file.
    public func localImagePath(vmUUID: String, id: String, disk: String) async throws -> String? {
        _ = try await readImage(vmUUID: vmUUID, id: id, disk: disk)
        return nil
    }

    /// Memory keeps every backup whole.
    public func backingFile(vmUUID: String, parentID: String, disk: String) async throws -> String? {
        _ = try await readImage(vmUUID: vmUUID, id: parentID, disk: disk)
        return nil
    }

    public func readFile(vmUUID: String, id: String, named name: String) async throws -> [UInt8] {
        let backup = try published(vmUUID: vmUUID, id: id, for: "read file of")
        if name == BackupFiles.domainXML, let xml = backup.domainXML { return Array(xml.utf8) }
        guard let bytes = backup.files[name] else {
            throw TargetError(
                "read", path: Self.location(vmUUID, id) + "/" + name, errno: ENOENT, reason: "no such file")
        }
        return bytes
    }

    public func update(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) async throws -> StoredBackup {
        var edited = try published(vmUUID: vmUUID, id: id, for: "update").manifest
        change(&edited)
        let manifest = try state.withLock { (state: inout State) throws(TargetError) -> Manifest in
            guard var backup = state.published[vmUUID]?[id] else {
                throw .notFound("update", Self.location(vmUUID, id))
            }
            backup.manifest.name = edited.name
            backup.manifest.description = edited.description
            backup.manifest.protected = edited.protected
            state.published[vmUUID]?[id] = backup
            return backup.manifest
        }
        return Self.stored(manifest)
    }

    public func updateChain(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) async throws
        -> StoredBackup
    {
        var edited = try published(vmUUID: vmUUID, id: id, for: "update").manifest
        change(&edited)
        let manifest = try state.withLock { (state: inout State) throws(TargetError) -> Manifest in
            guard var backup = state.published[vmUUID]?[id] else {
                throw .notFound("update", Self.location(vmUUID, id))
            }
            backup.manifest = backup.manifest.withChainLinks(of: edited)
            state.published[vmUUID]?[id] = backup
            return backup.manifest
        }
        return Self.stored(manifest)
    }

    public func delete(vmUUID: String, id: String) async throws {
        try state.withLock { (state: inout State) throws(TargetError) in
            guard state.published[vmUUID]?.removeValue(forKey: id) != nil else {
                throw .notFound("delete", Self.location(vmUUID, id))
            }
        }
    }

    /// Forgets a backup begun and never committed nor aborted: what a job's crash would leave.
    public func removePartial(vmUUID: String, backupID: BackupID) async throws -> PartialRemoval {
        try PathSafety.check(vmUUID, as: "VM UUID")
        let removed = state.withLock { $0.begun[vmUUID]?.remove(backupID.rawValue) != nil }
        return removed ? .removed : .absent
    }

    /// Memory holds nothing a crash of another daemon could leave: nothing to sweep.
    public func sweep(now: Date) async -> SweepReport { SweepReport() }

    /// The published backup `id`, or `notFound` naming `operation`.
    private func published(vmUUID: String, id: String, for operation: String) throws(TargetError) -> Backup {
        try PathSafety.check(vmUUID, as: "VM UUID")
        guard let backup = state.withLock({ $0.published[vmUUID]?[id] }) else {
            throw .notFound(operation, Self.location(vmUUID, id))
        }
        return backup
    }

    static func location(_ vmUUID: String, _ id: String) -> String { "memory:/\(vmUUID)/\(id)" }

    static func stored(_ manifest: Manifest) -> StoredBackup {
        StoredBackup(manifest: manifest, location: location(manifest.vmUUID, manifest.backupID))
    }
}
