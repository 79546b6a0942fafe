import Foundation

/// A backup in progress: the `.partial-<id>` folder, which no listing shows. `publish` turns it
/// into a backup; `discard` removes it.
public final class PartialBackup: Sendable {
    /// The `.partial-<id>` folder the backup's files are written into.
    public let directory: String
    /// The folder that will hold the backup once published: `<root>/<vm-uuid>/<id>`.
    public let publishedDirectory: String
    public let vmUUID: String
    public let backupID: BackupID
    private let vmDirectory: String

    init(vmDirectory: String, vmUUID: String, backupID: BackupID) {
        self.vmDirectory = vmDirectory
        self.vmUUID = vmUUID
        self.backupID = backupID
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
    public static func imageFileName(forDisk target: String) -> String {
        ManifestDisk.imageFileName(forDisk: target)
    }

    /// Writes the domain's XML as `domain.xml` and fsyncs it.
    public func writeDomainXML(_ xml: String) throws {
        try DurableFiles.writeFile(Data(xml.utf8), to: directory + "/domain.xml")
    }

    /// Makes the backup durable and visible: fsyncs every file, writes `manifest.json` (fsynced),
    /// removes `owner.json`, renames `.partial-<id>` to `<id>` and fsyncs the VM folder. After it
    /// returns the backup is listed; its folder holds no `owner.json`.
    ///
    /// `manifest` must name this backup's VM and id.
    public func publish(_ manifest: Manifest) throws -> StoredBackup {
        guard manifest.vmUUID == vmUUID, manifest.backupID == backupID.rawValue else {
            throw TargetError(
                "publish", path: directory,
                reason: "the manifest names VM \(manifest.vmUUID) backup \(manifest.backupID)")
        }
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
        return StoredBackup(manifest: manifest, directory: publishedDirectory)
    }

    /// Removes the partial folder and everything in it. Never throws; does nothing once published.
    public func discard() {
        guard DurableFiles.exists(directory) else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
