import Blocking
import Foundation
import Synchronization

/// The directory target's writer: a backup in progress in the `.partial-<id>` folder, which no
/// listing shows. `commit` turns it into a backup; `abort` removes it. Every filesystem call runs
/// on the target's executor.
///
/// An image made through `writeImage(forDisk:producedBy:)` is made in place, at
/// `<partial>/<disk>.qcow2`: the streamer writes the final file, nothing is copied.
public final class PartialBackup: BackupWriter {
    /// The `.partial-<id>` folder the backup's files are written into.
    public let directory: String
    /// The folder that will hold the backup once published: `<root>/<vm-uuid>/<id>`.
    public let publishedDirectory: String
    public let vmUUID: String
    public let backupID: BackupID
    private let vmDirectory: String
    private let executor: BlockingExecutor
    private let state = Mutex(WriterState.open)

    init(vmDirectory: String, vmUUID: String, backupID: BackupID, executor: BlockingExecutor) {
        self.vmDirectory = vmDirectory
        self.vmUUID = vmUUID
        self.backupID = backupID
        self.executor = executor
        self.directory = vmDirectory + "/" + DirectoryTarget.partialPrefix + backupID.rawValue
        self.publishedDirectory = vmDirectory + "/" + backupID.rawValue
    }

    /// Where the image of disk `target` goes: `<dir>/vda.qcow2`. `target` must be a safe path
    /// component (`PathSafety`); an unsafe one traps, as it can only come from a programming error.
    public func imagePath(forDisk target: String) -> String {
        precondition(PathSafety.isSafeComponent(target), "unsafe disk target \(target.debugDescription)")
        return directory + "/" + Self.imageFileName(forDisk: target)
    }

    /// The image's file name inside a backup folder, as the manifest records it.
    public static func imageFileName(forDisk target: String) -> String { ManifestDisk.imageFileName(forDisk: target) }

    /// Writes the domain's XML as `domain.xml` and fsyncs it.
    public func writeDomainXML(_ xml: String) async throws {
        try state.withLock { try $0.checkOpen(directory) }
        let path = directory + "/" + BackupFiles.domainXML
        try await executor.run { try DurableFiles.writeFile(Data(xml.utf8), to: path) }
    }

    /// Writes `contents` as `<partial>/<name>`, fsynced; the file must not exist.
    public func writeFile(named name: String, contents: [UInt8]) async throws {
        try state.withLock { try $0.checkOpen(directory) }
        try BackupFiles.checkWritable(name)
        let path = directory + "/" + name
        try await executor.run { try DurableFiles.writeNew(contents, to: path) }
    }

    /// Hands `produce` the image's final path in the partial folder; removes what it left when
    /// it throws.
    public func writeImage<Result: Sendable>(
        forDisk disk: String, producedBy produce: @Sendable (String) async throws -> Result
    ) async throws -> Result {
        let path = try await newImagePath(forDisk: disk)
        do {
            return try await produce(path)
        } catch {
            _ = try? await executor.run { unlink(path) }
            throw error
        }
    }

    /// Writes the chunks to `<partial>/<disk>.qcow2`, each write on the executor, and fsyncs it.
    public func writeImage(forDisk disk: String, from chunks: some AsyncSequence<[UInt8], any Error> & Sendable)
        async throws
    {
        let path = try await newImagePath(forDisk: disk)
        let file = try await executor.run { try FileSink(creating: path) }
        do {
            for try await chunk in chunks {
                try await executor.run { try file.append(chunk) }
            }
            try await executor.run { try file.finish() }
        } catch {
            _ = try? await executor.run { unlink(path) }
            throw error
        }
    }

    /// Fsyncs every file, writes `manifest.json` (fsynced), removes `owner.json`, renames
    /// `.partial-<id>` to `<id>` and fsyncs the VM folder. After it returns the backup is listed;
    /// its folder holds no `owner.json`.
    public func commit(_ manifest: Manifest) async throws -> StoredBackup {
        guard manifest.vmUUID == vmUUID, manifest.backupID == backupID.rawValue else {
            throw TargetError(
                "publish", path: directory,
                reason: "the manifest names VM \(manifest.vmUUID) backup \(manifest.backupID)",
                code: .invalid)
        }
        try state.withLock { try $0.checkOpen(directory) }
        let stored = try await executor.run { try self.publishNow(manifest) }
        state.withLock { $0 = .committed }
        return stored
    }

    /// Removes the partial folder and everything in it. Never throws; does nothing once published.
    public func abort() async {
        let open = state.withLock { state in
            guard state == .open else { return false }
            state = .aborted
            return true
        }
        guard open else { return }
        _ = try? await executor.run { self.removeNow() }
    }

    /// The path for disk `disk`'s new image, once the writer is open and no such image exists.
    private func newImagePath(forDisk disk: String) async throws -> String {
        try state.withLock { try $0.checkOpen(directory) }
        try PathSafety.check(disk, as: "disk target")
        let path = imagePath(forDisk: disk)
        let exists = try await executor.run { DurableFiles.exists(path) }
        guard !exists else {
            throw TargetError("write image", path: path, errno: EEXIST, reason: "it already exists")
        }
        return path
    }

    private func publishNow(_ manifest: Manifest) throws(TargetError) -> StoredBackup {
        let owner = directory + "/" + WorkOwner.fileName
        let unsynced: Set = [Manifest.fileName, WorkOwner.fileName]
        for name in try DurableFiles.names(in: directory) where !unsynced.contains(name) {
            try DurableFiles.sync(directory + "/" + name)
        }
        let data: Data
        do {
            data = try manifest.encoded()
        } catch {
            throw TargetError("encode manifest for", path: directory, reason: "\(error)")
        }
        try DurableFiles.writeFile(data, to: directory + "/" + Manifest.fileName)
        guard unlink(owner) == 0 || errno == ENOENT else {
            throw TargetError.system("remove", path: owner, code: errno)
        }
        try DurableFiles.sync(directory)
        try DurableFiles.move(directory, to: publishedDirectory)
        try DurableFiles.sync(vmDirectory)
        return StoredBackup(manifest: manifest, location: publishedDirectory)
    }

    /// Removes the partial folder, if there, on the calling thread.
    func removeNow() {
        guard DurableFiles.exists(directory) else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Where a writer is in its life: only an open one takes data.
enum WriterState: Sendable, Equatable {
    case open, committed, aborted

    func checkOpen(_ location: String) throws(TargetError) {
        guard self != .open else { return }
        throw TargetError(
            "write to", path: location,
            reason: "the backup was already \(self == .committed ? "committed" : "aborted")",
            code: .writerClosed)
    }
}
