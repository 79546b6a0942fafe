import Streaming
import Targets

/// Checks what a restore read from a stored image against what the backup recorded: the chunk
/// index and the disk's digest (format 2), or the whole content's SHA-256 (format 1).
enum RestoreCheck {
    /// Returns the digest the content matched; throws `restore_failed` naming the disk and the
    /// first chunk that differs when it did not.
    static func check(_ result: StreamResult, against disk: RestorePlan.Disk, on target: any BackupTarget)
        async throws -> String
    {
        let stored = disk.stored
        func damaged(_ what: String) -> EngineError {
            EngineError(
                .restoreFailed, "disk \(disk.target) of backup \(disk.backupID) is damaged: \(what)", step: .restore,
                disk: disk.target)
        }
        if let indexName = stored.index, let chunkSize = stored.chunkSize, let digest = stored.digest {
            let bytes = try await target.readFile(vmUUID: disk.vmUUID, id: disk.backupID, named: indexName)
            guard ChunkDigest(hashing: bytes).hex == digest else {
                throw damaged("its index \(indexName) does not hash to the digest in the manifest")
            }
            let expected: ChunkIndex
            do {
                expected = try ChunkIndex.decode(bytes, chunkSize: chunkSize, virtualSize: result.virtualSize)
            } catch {
                throw damaged("its index \(indexName) cannot be read: \(error)")
            }
            guard let found = result.index else { throw damaged("the content was not hashed in chunks") }
            if let mismatch = expected.firstDifference(from: found) { throw damaged("\(mismatch)") }
            return digest
        }
        guard let sha256 = stored.sha256 else { throw damaged("the manifest records no digest") }
        guard result.sha256 == sha256 else {
            throw damaged("its content hashes to \(result.sha256 ?? "nothing"), the manifest says \(sha256)")
        }
        return sha256
    }
}
