import Foundation
import Logging
import Snapshots
import Targets

/// Copies one backupSource's guest-visible content into a new qcow2 image on the target:
/// sparse, hashed on the way, with progress (DESIGN.md "One backup, step by step", step 5).
///
/// The source is served read-only by `qemu-nbd` and the destination by a writable `qemu-nbd`,
/// both started by libnbd. Reading, hashing and writing overlap, each on a thread of its own,
/// never on Swift's cooperative pool.
public struct Streamer: Sendable {
    public private(set) var logger: Logger
    /// Bytes read, hashed and written per request; between 64 KiB and 32 MiB (qemu-nbd's limit).
    public let chunkSize: Int

    public init(logger: Logger, chunkSize: Int = 4 << 20) {
        self.logger = logger
        self.chunkSize = min(max(chunkSize, ContentCopier.zeroGranularity), 32 << 20)
    }

    /// The same streamer logging to `logger`: a job's, whose metadata (`job.id`, `vm.name`) then
    /// goes on every line the streamer writes for it, beside the disk's own.
    public func logging(to logger: Logger) -> Streamer {
        var copy = self
        copy.logger = logger
        return copy
    }

    /// Creates `destination` (`qemu-img create -f qcow2`, virtual size = source's) and copies the
    /// guest-visible content of `source` into it. `destination` is a local path: the one a
    /// target's writer names for the image (`BackupWriter.writeImage(forDisk:producedBy:)`).
    ///
    /// Ranges that block status reports as zero are not written; data chunks are written only
    /// where they hold non-zero bytes (in 64 KiB blocks). The content is hashed on the way as
    /// `hashing` says: by default into a chunk index, which hashes only chunks that hold data.
    /// `progress` receives the bytes of virtual size covered so far, and ends with the virtual
    /// size. `isCancelled` is checked between chunks, as is cancellation of the calling task:
    /// either throws `StreamError` with `isCancelled`. The destination is flushed to stable storage
    /// before this returns; when it throws, the destination is removed.
    ///
    /// With a `parent`, the image is created as a qcow2 overlay on the parent's image and only the
    /// chunks whose digest differs from the parent's index are written (zeros included), while
    /// the whole content is still read and hashed into a full index. The parent's index must have
    /// the chunk size `hashing` names and the source's virtual size.
    public func stream(
        _ source: BackupSource, to destination: String,
        hashing: ContentHashing = .chunks(size: ChunkIndex.defaultChunkSize), parent: ParentImage? = nil,
        progress: @escaping @Sendable (UInt64) -> Void, isCancelled: @escaping @Sendable () -> Bool = { false }
    ) async throws -> StreamResult {
        try await copy(
            disk: source.target, image: source.path, format: source.format, to: .new(destination), hashing: hashing,
            parent: parent, progress: progress, isCancelled: isCancelled)
    }

    /// Copies the guest-visible content of the image at `image` (`format`) to `destination`, or
    /// only reads it when `destination` is `nil` (a verify), hashing it as `hashing` says: the
    /// one loop behind backup, restore and verify. A new destination is created first (the path
    /// must not exist) and removed when the copy fails; an existing one (a disk restored in place)
    /// is overwritten, its zero ranges written as zeros, and left as it is when the copy fails.
    public func copy(
        disk: String, image: String, format: String, to destination: StreamDestination?,
        hashing: ContentHashing, parent: ParentImage? = nil, progress: @escaping @Sendable (UInt64) -> Void,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) async throws -> StreamResult {
        var target = destination
        target?.path = Self.absolute(destination?.path ?? "")
        let job = StreamJob(
            disk: disk, sourcePath: Self.absolute(image), format: format, destination: target,
            chunkSize: windowSize(for: hashing, readingChangesOf: parent),
            hashing: hashing, parent: parent?.index, dirtyBitmap: parent?.dirtyBitmap)
        var logger = self.logger
        logger[metadataKey: "disk.target"] = "\(job.disk)"
        logger[metadataKey: "disk.source"] = "\(job.sourcePath)"

        guard QemuImg.sourceFormats.contains(job.format) else {
            throw job.error(.openingSource, "unsupported format \"\(job.format)\" (expected qcow2 or raw)")
        }
        if let target, !QemuImg.sourceFormats.contains(target.format) {
            throw job.error(.openingDestination, "unsupported format \"\(target.format)\" (expected qcow2 or raw)")
        }
        if let parent {
            guard target?.isNew == true, target?.format == "qcow2", case .chunks(let size) = hashing,
                size == parent.index.chunkSize
            else {
                throw job.error(
                    .creatingDestination, "an image on a parent must be a new qcow2 hashed in the parent's chunks")
            }
        }
        if isCancelled() || Task.isCancelled { throw job.cancelled }
        let virtualSize: UInt64
        do {
            virtualSize = try await QemuImg.virtualSize(of: job.sourcePath, format: job.format)
        } catch {
            throw Task.isCancelled ? job.cancelled : job.error(.inspecting, error.description)
        }
        if let target, target.isNew {
            do {
                try Self.claim(target.path)
            } catch {
                throw job.error(.creatingDestination, error.description)
            }
            do throws(QemuImg.Failure) {
                if let parent {
                    guard parent.index.virtualSize == virtualSize else {
                        throw QemuImg.Failure(
                            description:
                                "the parent's image holds \(parent.index.virtualSize) bytes, the disk \(virtualSize)")
                    }
                    try await QemuImg.createOverlay(at: target.path, backingFile: parent.backingFile)
                } else {
                    try await QemuImg.create(at: target.path, format: target.format, virtualSize: virtualSize)
                }
            } catch {
                try? FileManager.default.removeItem(atPath: target.path)
                throw Task.isCancelled ? job.cancelled : job.error(.creatingDestination, error.description)
            }
        }
        logger.info(
            target == nil ? "Reading disk" : "Streaming disk",
            metadata: ["disk.virtual_size": "\(virtualSize)", "stream.destination": "\(target?.path ?? "-")"])

        let started = ContinuousClock.now
        let result: StreamResult
        do {
            result = try await job.runOnOwnThreads(progress: progress, isCancelled: isCancelled)
        } catch {
            if let target, target.isNew { try? FileManager.default.removeItem(atPath: target.path) }
            logger.info("Streaming stopped", metadata: ["stream.error": "\(error)"])
            throw error
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        logger.info(
            target == nil ? "Read disk" : "Streamed disk",
            metadata: [
                "stream.stored_bytes": "\(result.storedBytes)", "stream.read_bytes": "\(result.readBytes)",
                "stream.dirty_bitmap": "\(parent?.dirtyBitmap ?? "-")", "stream.seconds": "\(seconds)",
                "stream.digest": "\(result.index?.digest ?? result.sha256 ?? "-")",
            ])
        return result
    }

    /// Creates a qcow2 overlay at `path` (which must not exist) whose backing file is the qcow2
    /// image `backingFile`: a disk that reads the stored image and writes only to the overlay
    /// (instant restore). `qemu-img create -b`.
    public static func createOverlay(at path: String, backingFile: String) async throws {
        let path = absolute(path)
        do {
            try claim(path)
        } catch {
            throw StreamError(.creatingDestination, disk: "", path: path, reason: error.description)
        }
        do {
            try await QemuImg.createOverlay(at: path, backingFile: absolute(backingFile))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StreamError(.creatingDestination, disk: "", path: path, reason: error.description)
        }
    }

    /// Makes the overlay at `path` independent of its backing file, copying what it reads
    /// through into it, while no domain runs on it: `qemu-img rebase -b ""`.
    public static func detachOverlay(at path: String) async throws {
        do {
            try await QemuImg.detach(path)
        } catch {
            throw StreamError(.writing, disk: "", path: path, reason: error.description)
        }
    }

    /// The window the copy reads at once: one index chunk when a dirty bitmap says which chunks to
    /// read, so that a change costs one chunk's read; otherwise a whole number of index chunks,
    /// so that chunks never straddle two windows' hashing needlessly.
    private func windowSize(for hashing: ContentHashing, readingChangesOf parent: ParentImage? = nil) -> Int {
        if let parent, parent.dirtyBitmap != nil { return parent.index.chunkSize }
        guard case .chunks(let size) = hashing, size > 0, size <= chunkSize else { return chunkSize }
        return chunkSize / size * size
    }

    /// Creates the empty file at `path` exclusively: a file already there is never overwritten.
    private static func claim(_ path: String) throws(QemuImg.Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw QemuImg.Failure(description: String(cString: strerror(errno)))
        }
        close(fd)
    }

    /// Guest-visible size of an image (`qemu-img info --output=json`), used to compute total
    /// progress before streaming.
    public static func virtualSize(of path: String, format: String) async throws -> UInt64 {
        let path = absolute(path)
        guard QemuImg.sourceFormats.contains(format) else {
            throw StreamError(.inspecting, disk: "", path: path, reason: "unsupported format \"\(format)\"")
        }
        do {
            return try await QemuImg.virtualSize(of: path, format: format)
        } catch {
            throw StreamError(.inspecting, disk: "", path: path, reason: error.description)
        }
    }

    /// `path` made absolute, so that QEMU's tools never read it as an option or a protocol prefix.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}
