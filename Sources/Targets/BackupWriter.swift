/// One backup being written: what `BackupTarget.begin` hands out. Nothing of it is visible
/// until `commit`; `abort` removes it.
///
/// **How an image reaches the target.** The streamer makes a sparse qcow2 at a local path with
/// qemu-img and qemu-nbd, hashing on the way; that copy loop stays as fast as it is and never
/// goes through an `AsyncSequence` chunk by chunk. So a writer takes an image in one of two ways:
///
/// - `writeImage(forDisk:producedBy:)` names a local staging file and lets the caller make the
///   image there. The directory target names the image's final place in its partial folder
///   (nothing is copied; the on-disk format stays). A target that keeps data elsewhere (memory,
///   a remote repository) names a scratch file, then consumes it as a byte stream.
/// - `writeImage(forDisk:from:)` takes the image as a stream of byte chunks (an image read from
///   another target, a test's bytes).
///
/// After `commit` or `abort` every call but `abort` throws `TargetError` with code
/// `writerClosed`.
public protocol BackupWriter: Sendable {
    var vmUUID: String { get }
    var backupID: BackupID { get }

    /// Stores the domain's XML with the backup.
    func writeDomainXML(_ xml: String) async throws

    /// Calls `produce` with the path of a local file to create for disk `disk`'s image, and
    /// takes the file in once `produce` returns. The file must not exist when `produce` starts;
    /// `produce` must flush it to stable storage before returning. When `produce` throws, the
    /// image is not kept. `disk` must be a safe path component (`PathSafety`).
    func writeImage<Result: Sendable>(
        forDisk disk: String, producedBy produce: @Sendable (String) async throws -> Result
    ) async throws -> Result

    /// Stores a small file beside the images under `name`: a disk's chunk index, the domain's
    /// UEFI NVRAM or TPM state. `name` must be a safe path component (`PathSafety`) and not one
    /// the target keeps for itself (``BackupFiles/isReserved(_:)``); a file by that name must not
    /// exist yet.
    func writeFile(named name: String, contents: [UInt8]) async throws

    /// Stores disk `disk`'s image from `chunks`, in order.
    func writeImage(forDisk disk: String, from chunks: some AsyncSequence<[UInt8], any Error> & Sendable)
        async throws

    /// Publishes the backup with `manifest`: everything durable first, the manifest last, the
    /// whole backup visible at once and only from then on. `manifest` must name this writer's VM
    /// and backup id.
    func commit(_ manifest: Manifest) async throws -> StoredBackup

    /// Removes the work in progress. Never throws; does nothing after `commit`, nor the second
    /// time.
    func abort() async
}
