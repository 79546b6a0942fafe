import APIModel
import Streaming
import Targets

/// Checks one published backup over its ``VerifyEffects``: its manifest is read from the target
/// again, then each saved file (NVRAM, TPM state) is checked against its size and SHA-256, then
/// each stored disk is read back whole: format 2 against its chunk index (whose own SHA-256 is
/// the manifest's digest), format 1 against the SHA-256 of its whole content. It stops at the
/// first problem.
///
/// Reports each step (`reading manifest`, `verifying files`, `verifying vda`) and the bytes read
/// of the disks' total guest-visible size. Cancellation of the calling task stops it between
/// steps and inside a disk's read; it then throws `CancellationError`.
struct BackupVerifier: Sendable {
    let plan: VerifyPlan
    let effects: any VerifyEffects
    let progress: ProgressCounter
    let onStep: @Sendable (String) async -> Void

    /// What the backup read back as: `nil` when everything is as its manifest says, else the
    /// first problem found. Throws only `CancellationError`.
    func verify() async throws(CancellationError) -> VerificationProblem? {
        do {
            try await check()
            return nil
        } catch let failure as VerificationFailure {
            return failure.problem
        } catch {
            throw CancellationError()
        }
    }

    private func check() async throws {
        await step("reading manifest")
        let manifest = try await readManifest()
        progress.setTotal(VerifyPlan.totalBytes(of: manifest))
        if !manifest.files.isEmpty {
            await step("verifying files")
            for file in manifest.files {
                try Task.checkCancellation()
                let bytes = try await read(file.file, disk: nil, what: file.file)
                if let problem = VerifyCheck.file(file, bytes: bytes) { throw VerificationFailure(problem) }
            }
        }
        var base: UInt64 = 0
        for disk in manifest.disks where disk.excluded == nil {
            await step("verifying \(disk.target)")
            try await check(disk, base: base)
            base += disk.virtualSize ?? 0
            progress.setDone(base)
        }
    }

    private func step(_ name: String) async {
        await onStep(name)
    }

    /// The manifest as the target has it now, once it names this backup.
    private func readManifest() async throws -> Manifest {
        try Task.checkCancellation()
        let manifest: Manifest
        do {
            manifest = try await effects.readManifest()
        } catch let error as TargetError where error.code == .notFound {
            throw VerificationFailure(
                file: Manifest.fileName, "the backup's manifest is not on target '\(plan.targetName)' any more")
        } catch {
            try Self.rethrowCancellation(error)
            throw VerificationFailure(file: Manifest.fileName, "cannot read the backup's manifest: \(error)")
        }
        guard manifest.vmUUID.lowercased() == plan.vmUUID.lowercased(), manifest.backupID == plan.backupID else {
            throw VerificationFailure(
                file: Manifest.fileName,
                "the manifest names backup \(manifest.backupID) of VM \(manifest.vmUUID), not \(plan.backupID) of "
                    + plan.vmUUID)
        }
        return manifest
    }

    private func check(_ disk: ManifestDisk, base: UInt64) async throws {
        try Task.checkCancellation()
        let expectation = try VerifyCheck.expectation(of: disk)
        var storedIndex: ChunkIndex?
        if case .chunks(let file, let chunkSize, let digest, let virtualSize) = expectation {
            let bytes = try await read(file, disk: disk.target, what: "the chunk index \(file)")
            storedIndex = try VerifyCheck.storedIndex(
                bytes, disk: disk.target, file: file, chunkSize: chunkSize, virtualSize: virtualSize, digest: digest)
        }
        try Task.checkCancellation()
        let image = disk.file ?? ManifestDisk.imageFileName(forDisk: disk.target)
        let progress = self.progress
        let reading: DiskReading
        do {
            reading = try await effects.readDisk(disk, hashing: expectation.hashing) { progress.setDone(base + $0) }
        } catch let error as TargetError where error.code == .notFound {
            throw VerificationFailure(disk: disk.target, file: image, "the image \(image) is missing")
        } catch {
            try Self.rethrowCancellation(error)
            throw VerificationFailure(disk: disk.target, file: image, "cannot read the image \(image): \(error)")
        }
        switch reading {
        case .damaged(let why):
            throw VerificationFailure(disk: disk.target, file: image, why)
        case .read(let result):
            let problem = VerifyCheck.content(result, of: disk, expectation: expectation, storedIndex: storedIndex)
            if let problem { throw VerificationFailure(problem) }
        }
    }

    /// The bytes of file `name`; a missing file, or one that cannot be read, is a problem named
    /// by `what`.
    private func read(_ name: String, disk: String?, what: String) async throws -> [UInt8] {
        do {
            return try await effects.readFile(named: name)
        } catch let error as TargetError where error.code == .notFound {
            throw VerificationFailure(disk: disk, file: name, "\(what) is missing")
        } catch {
            try Self.rethrowCancellation(error)
            throw VerificationFailure(disk: disk, file: name, "cannot read \(what): \(error)")
        }
    }

    /// Throws `CancellationError` when `error` says the read stopped because it was asked to, or
    /// the task is cancelled.
    private static func rethrowCancellation(_ error: any Error) throws {
        if error is CancellationError || (error as? StreamError)?.isCancelled == true || Task.isCancelled {
            throw CancellationError()
        }
    }
}
