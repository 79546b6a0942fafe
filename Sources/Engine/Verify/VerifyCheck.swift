import APIModel
import Streaming
import Targets

/// A problem a verify found: thrown inside the verify to end it with that problem.
struct VerificationFailure: Error, Equatable {
    var problem: VerificationProblem

    init(_ problem: VerificationProblem) { self.problem = problem }

    init(disk: String? = nil, file: String? = nil, offset: UInt64? = nil, _ message: String) {
        self.init(VerificationProblem(disk: disk, file: file, offset: offset, message: message))
    }
}

/// How one stored disk is checked, from what its manifest entry gives.
enum DiskExpectation: Sendable, Equatable {
    /// Format 2: the content against the chunk index file `index`, which must hash to `digest`.
    case chunks(index: String, chunkSize: Int, digest: String, virtualSize: UInt64)
    /// Format 1: the whole content, zeros included, against one SHA-256.
    case whole(sha256: String)

    /// How the content is hashed as it is read back.
    var hashing: ContentHashing {
        switch self {
        case .chunks(_, let chunkSize, _, _): .chunks(size: chunkSize)
        case .whole: .whole
        }
    }
}

/// The comparisons of a verify: what a backup's files and disks read back as against what its
/// manifest says. Pure: the reading is the effects' part.
enum VerifyCheck {
    /// How disk `disk` is checked: by its chunk index (format 2) when the manifest names one, by
    /// its whole content's SHA-256 (format 1) otherwise. Throws when the manifest gives neither,
    /// or gives the index without its chunk size, digest or the disk's size.
    static func expectation(of disk: ManifestDisk) throws(VerificationFailure) -> DiskExpectation {
        if let index = disk.index {
            guard let chunkSize = disk.chunkSize, chunkSize > 0, let digest = disk.digest,
                let virtualSize = disk.virtualSize
            else {
                throw VerificationFailure(
                    disk: disk.target,
                    "the manifest names the chunk index \(index) without its chunk size, digest "
                        + "or the disk's virtual size")
            }
            return .chunks(index: index, chunkSize: chunkSize, digest: digest, virtualSize: virtualSize)
        }
        if let sha256 = disk.sha256 {
            return .whole(sha256: sha256)
        }
        throw VerificationFailure(disk: disk.target, "the manifest gives neither a chunk index nor a SHA-256")
    }

    /// The stored chunk index of disk `disk` (its file's bytes), once they hash to the manifest's
    /// digest and read as an index of a disk of `virtualSize` bytes in chunks of `chunkSize`.
    static func storedIndex(
        _ bytes: [UInt8], disk: String, file: String, chunkSize: Int, virtualSize: UInt64, digest: String
    ) throws(VerificationFailure) -> ChunkIndex {
        let found = ChunkDigest(hashing: bytes).hex
        guard found == digest.lowercased() else {
            throw VerificationFailure(
                disk: disk, file: file,
                "the chunk index \(file) hashes to SHA-256 \(found), the manifest says \(digest)")
        }
        do {
            return try ChunkIndex.decode(bytes, chunkSize: chunkSize, virtualSize: virtualSize)
        } catch {
            throw VerificationFailure(disk: disk, file: file, "the chunk index \(file) cannot be read: \(error)")
        }
    }

    /// What is wrong with disk `disk`'s content as it read back (`result`), or `nil` when it is
    /// what the manifest (and, for format 2, the stored index) says.
    static func content(
        _ result: StreamResult, of disk: ManifestDisk, expectation: DiskExpectation, storedIndex: ChunkIndex?
    ) -> VerificationProblem? {
        if let size = disk.virtualSize, result.virtualSize != size {
            return VerificationProblem(
                disk: disk.target,
                message: "the image reads back as \(result.virtualSize) bytes, the manifest says \(size)")
        }
        switch expectation {
        case .chunks:
            guard let storedIndex, let read = result.index else {
                return VerificationProblem(disk: disk.target, message: "the content was not hashed in chunks")
            }
            guard let mismatch = storedIndex.firstDifference(from: read) else { return nil }
            return VerificationProblem(disk: disk.target, offset: mismatch.offset, message: mismatch.description)
        case .whole(let sha256):
            guard let read = result.sha256 else {
                return VerificationProblem(disk: disk.target, message: "the content was not hashed whole")
            }
            guard read != sha256.lowercased() else { return nil }
            return VerificationProblem(
                disk: disk.target, message: "the content hashes to SHA-256 \(read), the manifest says \(sha256)")
        }
    }

    /// What is wrong with file `file` (the NVRAM, the TPM state) as it read back, or `nil`.
    static func file(_ file: ManifestFile, bytes: [UInt8]) -> VerificationProblem? {
        if UInt64(bytes.count) != file.size {
            return VerificationProblem(
                file: file.file, message: "\(file.file) holds \(bytes.count) bytes, the manifest says \(file.size)")
        }
        let found = ChunkDigest(hashing: bytes).hex
        guard found != file.sha256.lowercased() else { return nil }
        return VerificationProblem(
            file: file.file, message: "\(file.file) hashes to SHA-256 \(found), the manifest says \(file.sha256)")
    }
}
