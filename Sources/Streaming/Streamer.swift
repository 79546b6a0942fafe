import Foundation
import Logging
import Snapshots

/// Copies one backupSource's guest-visible content into a new qcow2 image on the target:
/// sparse, hashed on the way, with progress (DESIGN.md "One backup, step by step", step 5).
///
/// The source is served read-only by `qemu-nbd` and the destination by a writable `qemu-nbd`,
/// both started by libnbd. Reading, hashing and writing overlap, each on a thread of its own,
/// never on Swift's cooperative pool.
public struct Streamer: Sendable {
    public let logger: Logger
    /// Bytes read, hashed and written per request; between 64 KiB and 32 MiB (qemu-nbd's limit).
    public let chunkSize: Int

    public init(logger: Logger, chunkSize: Int = 4 << 20) {
        self.logger = logger
        self.chunkSize = min(max(chunkSize, ContentCopier.zeroGranularity), 32 << 20)
    }

    /// Creates `destination` (`qemu-img create -f qcow2`, virtual size = source's) and copies the
    /// guest-visible content of `source` into it. `destination` is a local path: the one a
    /// target's writer names for the image (`BackupWriter.writeImage(forDisk:producedBy:)`).
    ///
    /// Ranges that block status reports as zero are not written; data chunks are written only
    /// where they hold non-zero bytes (in 64 KiB blocks). Everything is hashed in order, zeros
    /// included, with SHA-256. `progress` receives the bytes of virtual size covered so far, and
    /// ends with the virtual size. `isCancelled` is checked between chunks, as is cancellation of
    /// the calling task: either throws `StreamError` with `isCancelled`. The destination is
    /// flushed to stable storage before this returns; when it throws, the destination is removed.
    public func stream(
        _ source: BackupSource, to destination: String, progress: @escaping @Sendable (UInt64) -> Void,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) async throws -> StreamResult {
        let job = StreamJob(
            disk: source.target, sourcePath: Self.absolute(source.path), format: source.format,
            destinationPath: Self.absolute(destination), chunkSize: chunkSize)
        var logger = self.logger
        logger[metadataKey: "disk.target"] = "\(job.disk)"
        logger[metadataKey: "disk.source"] = "\(job.sourcePath)"

        guard QemuImg.sourceFormats.contains(job.format) else {
            throw job.error(.openingSource, "unsupported format \"\(job.format)\" (expected qcow2 or raw)")
        }
        if isCancelled() || Task.isCancelled { throw job.cancelled }
        let virtualSize: UInt64
        do {
            virtualSize = try await QemuImg.virtualSize(of: job.sourcePath, format: job.format)
        } catch {
            throw Task.isCancelled ? job.cancelled : job.error(.inspecting, error.description)
        }
        do {
            try await QemuImg.createQcow2(at: job.destinationPath, virtualSize: virtualSize)
        } catch {
            throw Task.isCancelled ? job.cancelled : job.error(.creatingDestination, error.description)
        }
        logger.info(
            "Streaming disk",
            metadata: ["disk.virtual_size": "\(virtualSize)", "stream.destination": "\(job.destinationPath)"])

        let started = ContinuousClock.now
        let result: StreamResult
        do {
            result = try await job.runOnOwnThreads(progress: progress, isCancelled: isCancelled)
        } catch {
            try? FileManager.default.removeItem(atPath: job.destinationPath)
            logger.info("Streaming stopped", metadata: ["stream.error": "\(error)"])
            throw error
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        logger.info(
            "Streamed disk",
            metadata: [
                "stream.stored_bytes": "\(result.storedBytes)", "stream.seconds": "\(seconds)",
                "stream.sha256": "\(result.sha256)",
            ])
        return result
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
