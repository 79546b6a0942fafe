import Foundation
import Synchronization

/// The writer of a `MemoryTarget`: gathers the domain XML and the images in memory and publishes
/// them all at once on `commit`.
///
/// An image made at a local path (`writeImage(forDisk:producedBy:)`) is made in a scratch file,
/// then read back as a byte stream and the file removed: the way a remote repository would take
/// the streamer's output.
final class MemoryWriter: BackupWriter {
    let vmUUID: String
    let backupID: BackupID
    private let target: MemoryTarget

    private struct Work: Sendable {
        var state = WriterState.open
        var domainXML: String?
        var images: [String: [UInt8]] = [:]
        var files: [String: [UInt8]] = [:]
    }

    private let work = Mutex(Work())

    init(target: MemoryTarget, vmUUID: String, backupID: BackupID) {
        self.target = target
        self.vmUUID = vmUUID
        self.backupID = backupID
    }

    private var location: String { MemoryTarget.location(vmUUID, backupID.rawValue) }

    func writeDomainXML(_ xml: String) async throws {
        try work.withLock { (work: inout Work) throws(TargetError) in
            try work.state.checkOpen(location)
            work.domainXML = xml
        }
    }

    func writeFile(named name: String, contents: [UInt8]) async throws {
        try BackupFiles.checkWritable(name)
        try work.withLock { (work: inout Work) throws(TargetError) in
            try work.state.checkOpen(location)
            guard work.files[name] == nil else {
                throw TargetError("write", path: location + "/" + name, errno: EEXIST, reason: "it already exists")
            }
            work.files[name] = contents
        }
    }

    func writeImage<Result: Sendable>(
        forDisk disk: String, producedBy produce: @Sendable (String) async throws -> Result
    ) async throws -> Result {
        try checkNewImage(disk)
        let scratch = target.scratchFolder + "/vmbackup-memory-" + UUID().uuidString + "-" + disk
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let result = try await produce(scratch)
        guard let data = FileManager.default.contents(atPath: scratch) else {
            throw TargetError("read image", path: scratch, errno: ENOENT, reason: "the image was not made")
        }
        try await writeImage(forDisk: disk, from: ImageStream(bytes: Array(data)))
        return result
    }

    func writeImage(forDisk disk: String, from chunks: some AsyncSequence<[UInt8], any Error> & Sendable)
        async throws
    {
        try checkNewImage(disk)
        var bytes: [UInt8] = []
        for try await chunk in chunks { bytes += chunk }
        let image = bytes
        try work.withLock { (work: inout Work) throws(TargetError) in
            try work.state.checkOpen(location)
            guard work.images[disk] == nil else {
                throw TargetError(
                    "write image", path: location + " disk " + disk, errno: EEXIST, reason: "it already exists")
            }
            work.images[disk] = image
        }
    }

    func commit(_ manifest: Manifest) async throws -> StoredBackup {
        guard manifest.vmUUID == vmUUID, manifest.backupID == backupID.rawValue else {
            throw TargetError(
                "publish", path: location,
                reason: "the manifest names VM \(manifest.vmUUID) backup \(manifest.backupID)",
                code: .invalid)
        }
        let id = backupID.rawValue
        let vmUUID = self.vmUUID
        let done = try work.withLock { (work: inout Work) throws(TargetError) -> Work in
            try work.state.checkOpen(location)
            work.state = .committed
            return work
        }
        target.state.withLock { state in
            state.begun[vmUUID]?.remove(id)
            state.published[vmUUID, default: [:]][id] = MemoryTarget.Backup(
                manifest: manifest, domainXML: done.domainXML, images: done.images, files: done.files)
        }
        return MemoryTarget.stored(manifest)
    }

    func abort() async {
        let wasOpen = work.withLock { work in
            guard work.state == .open else { return false }
            work = Work(state: .aborted)
            return true
        }
        guard wasOpen else { return }
        let id = backupID.rawValue
        let vmUUID = self.vmUUID
        target.state.withLock { _ = $0.begun[vmUUID]?.remove(id) }
    }

    private func checkNewImage(_ disk: String) throws(TargetError) {
        try PathSafety.check(disk, as: "disk target")
        try work.withLock { (work: inout Work) throws(TargetError) in
            try work.state.checkOpen(location)
            guard work.images[disk] == nil else {
                throw TargetError(
                    "write image", path: location + " disk " + disk, errno: EEXIST, reason: "it already exists")
            }
        }
    }
}
