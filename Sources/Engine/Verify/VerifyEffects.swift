import Streaming
import Targets

/// What a verify does outside itself: read the backup's manifest and files from its target, and
/// read each stored disk's guest-visible content back, hashed. ``LiveVerifyEffects`` is the real
/// one; tests give a fake.
///
/// A file or image that is not there throws `TargetError` with code `notFound`; a stream that
/// was cancelled throws `StreamError` with `isCancelled`.
protocol VerifyEffects: Sendable {
    /// The backup's manifest as the target has it now.
    func readManifest() async throws -> Manifest

    /// The bytes of file `name` of the backup: a chunk index, the NVRAM, the TPM state.
    func readFile(named name: String) async throws -> [UInt8]

    /// Reads disk `disk`'s stored image back: its structure first (for a qcow2 image), then its
    /// guest-visible content, hashed as `hashing` says. `progress` receives the bytes of the disk
    /// covered so far.
    func readDisk(
        _ disk: ManifestDisk, hashing: ContentHashing, progress: @escaping @Sendable (UInt64) -> Void
    ) async throws -> DiskReading
}

/// What reading a stored disk back gave.
enum DiskReading: Sendable, Equatable {
    /// The image's structure is not sound (`qemu-img check`): why. Its content was not read.
    case damaged(String)
    /// The content, read and hashed.
    case read(StreamResult)
}
