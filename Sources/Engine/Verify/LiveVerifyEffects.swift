import Streaming
import Targets

/// Verify's effects on the real target: files through `readFile`, each image through
/// `withImageFile` (the directory target's own file, or a remote target's scratch copy), its
/// structure checked by `qemu-img check` and its content read and hashed by the streamer, with
/// nothing written anywhere.
struct LiveVerifyEffects: VerifyEffects {
    let target: any BackupTarget
    let streamer: Streamer
    let vmUUID: String
    let backupID: String

    func readManifest() async throws -> Manifest {
        try await target.backup(vmUUID: vmUUID, id: backupID).manifest
    }

    func readFile(named name: String) async throws -> [UInt8] {
        try await target.readFile(vmUUID: vmUUID, id: backupID, named: name)
    }

    func readDisk(
        _ disk: ManifestDisk, hashing: ContentHashing, progress: @escaping @Sendable (UInt64) -> Void
    ) async throws -> DiskReading {
        let streamer = self.streamer
        let format = disk.format ?? "qcow2"
        return try await target.withImageFile(vmUUID: vmUUID, id: backupID, disk: disk.target) { path in
            if format == "qcow2" {
                let check = try await ImageCheck.qcow2(at: path, disk: disk.target)
                if let problem = check.problem(file: disk.file ?? ManifestDisk.imageFileName(forDisk: disk.target)) {
                    return .damaged(problem)
                }
            }
            let result = try await streamer.copy(
                disk: disk.target, image: path, format: format, to: nil, hashing: hashing, progress: progress)
            return .read(result)
        }
    }
}
