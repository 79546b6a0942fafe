import Foundation

/// Reading a published backup's images back.
extension DirectoryTarget {
    /// The image file the manifest names for `disk`, read in chunks of 4 MiB on the executor.
    public func readImage(vmUUID: String, id: String, disk: String) async throws -> ImageStream {
        let path = try await executor.run { try imagePathNow(vmUUID: vmUUID, id: id, disk: disk) }
        let executor = self.executor
        return ImageStream {
            let reader = FileChunkReader(path: path, executor: executor)
            return { try await reader.next() }
        }
    }

    /// Calls `body` with the stored image file itself: the directory target keeps images as
    /// local files.
    public func withImageFile<Result: Sendable>(
        vmUUID: String, id: String, disk: String, _ body: @Sendable (String) async throws -> Result
    ) async throws -> Result {
        let path = try await executor.run { try imagePathNow(vmUUID: vmUUID, id: id, disk: disk) }
        return try await body(path)
    }

    /// `../<parent-id>/<image file>`: every backup of a VM, work in progress included, lies in the
    /// same VM folder.
    public func backingFile(vmUUID: String, parentID: String, disk: String) async throws -> String? {
        let path = try await executor.run { try imagePathNow(vmUUID: vmUUID, id: parentID, disk: disk) }
        let folder = (path as NSString).deletingLastPathComponent
        return "../" + (folder as NSString).lastPathComponent + "/" + (path as NSString).lastPathComponent
    }

    /// The image file itself: it stays where it is for as long as the backup does.
    public func localImagePath(vmUUID: String, id: String, disk: String) async throws -> String? {
        try await executor.run { try imagePathNow(vmUUID: vmUUID, id: id, disk: disk) }
    }

    /// Reads `<backup>/<name>` whole, on the executor.
    public func readFile(vmUUID: String, id: String, named name: String) async throws -> [UInt8] {
        try await executor.run { () throws(TargetError) -> [UInt8] in
            try PathSafety.check(name, as: "file name")
            let stored = try backupNow(vmUUID: vmUUID, id: id, for: "read file of")
            let path = stored.location + "/" + name
            guard Self.fileKind(path) == S_IFREG, let data = FileManager.default.contents(atPath: path) else {
                throw TargetError("read", path: path, errno: ENOENT, reason: "no such file")
            }
            return Array(data)
        }
    }

    /// The path of the stored image of `disk`, once the manifest names it and it is a file.
    func imagePathNow(vmUUID: String, id: String, disk: String) throws(TargetError) -> String {
        let stored = try backupNow(vmUUID: vmUUID, id: id, for: "read image of")
        guard let file = stored.manifest.disks.first(where: { $0.target == disk && $0.excluded == nil })?.file,
            PathSafety.isSafeComponent(file)
        else {
            throw TargetError(
                "read image of", path: stored.location + " disk " + disk, errno: ENOENT, reason: "no such stored disk")
        }
        let path = stored.location + "/" + file
        guard Self.fileKind(path) == S_IFREG else {
            throw TargetError("read image", path: path, errno: ENOENT, reason: "not a file")
        }
        return path
    }
}
