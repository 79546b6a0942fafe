import NBD
import NIOPosix
import Targets

/// One disk being streamed: the paths, and the blocking part that runs on threads of its own.
struct StreamJob: Sendable {
    let disk: String
    let sourcePath: String
    let format: String
    /// Where the content goes; `nil` to read and hash only.
    let destination: StreamDestination?
    let chunkSize: Int
    let hashing: ContentHashing
    /// The parent's index, when only the chunks that differ from it are written.
    var parent: ChunkIndex? = nil
    /// The source's dirty bitmap that marks what changed since the parent, when it is read.
    var dirtyBitmap: String? = nil

    var destinationPath: String { destination?.path ?? sourcePath }

    func error(_ step: StreamError.Step, _ reason: String) -> StreamError {
        let path =
            [.writing, .flushing, .openingDestination, .creatingDestination].contains(step)
            ? destinationPath : sourcePath
        return StreamError(step, disk: disk, path: path, reason: reason)
    }

    var cancelled: StreamError { .cancelled(disk: disk, path: sourcePath) }

    /// Runs `copy` on threads started for this job (reading, hashing, writing); stops it between
    /// chunks when the calling task is cancelled.
    func runOnOwnThreads(
        progress: @escaping @Sendable (UInt64) -> Void, isCancelled: @escaping @Sendable () -> Bool
    ) async throws -> StreamResult {
        let cancellation = CancellationFlag(callerCancelled: isCancelled)
        let pool = NIOThreadPool(numberOfThreads: 1 + ContentCopier.extraThreads)
        pool.start()
        let outcome: Result<StreamResult, any Error>
        do {
            let value = try await withTaskCancellationHandler {
                try await pool.runIfActive {
                    try self.copy(progress: progress, cancellation: cancellation) { body in
                        pool.submit { _ in body() }
                    }
                }
            } onCancel: {
                cancellation.cancel()
            }
            outcome = .success(value)
        } catch is CancellationError {
            outcome = .failure(cancelled)
        } catch {
            outcome = .failure(error)
        }
        // Joins the threads, so both connections are closed and their qemu-nbd have exited.
        try? await pool.shutdownGracefully()
        return try outcome.get()
    }

    /// Serves both images through `qemu-nbd`, copies, and disconnects. Blocking.
    private func copy(
        progress: @escaping @Sendable (UInt64) -> Void, cancellation: CancellationFlag,
        startThread: @escaping (@escaping @Sendable () -> Void) -> Void
    ) throws(StreamError) -> StreamResult {
        let reader: NBDConnection
        do {
            reader = try NBDConnection(
                command: QemuNBDCommand.reader(path: sourcePath, format: format, bitmap: dirtyBitmap),
                dirtyBitmap: dirtyBitmap)
        } catch {
            throw self.error(.openingSource, "qemu-nbd: \(error)")
        }
        if dirtyBitmap != nil, !reader.supportsDirtyBitmap {
            throw self.error(.openingSource, "qemu-nbd does not export the dirty bitmap \(dirtyBitmap ?? "")")
        }
        var writer: NBDConnection?
        if let destination {
            do {
                writer = try NBDConnection(
                    command: QemuNBDCommand.writer(path: destination.path, format: destination.format))
            } catch {
                throw self.error(.openingDestination, "qemu-nbd: \(error)")
            }
            guard let size = writer?.size, size >= reader.size else {
                throw self.error(
                    .openingDestination, "image holds \(writer?.size ?? 0) bytes, the source \(reader.size)")
            }
        }
        var copier = ContentCopier(
            source: reader, destination: writer, fillZeros: destination.map { !$0.isNew } ?? false,
            hashing: hashing, parent: parent, chunkSize: chunkSize, zeros: ZeroBuffer(count: chunkSize),
            cancellation: cancellation, progress: progress, startThread: startThread)
        copier.readsChangesOnly = dirtyBitmap != nil && parent != nil
        let copied: (storedBytes: UInt64, readBytes: UInt64, digests: ContentDigests)
        do {
            copied = try copier.run()
        } catch {
            switch error {
            case .cancelled: throw cancelled
            case .failed(let step, let cause): throw self.error(step, cause.description)
            }
        }
        // Both servers exit once disconnected; nbd_close in deinit waits for them.
        try? reader.shutdown()
        try? writer?.shutdown()
        let index: ChunkIndex? =
            if case .chunks(let size) = hashing, let entries = copied.digests.entries {
                ChunkIndex(chunkSize: size, virtualSize: reader.size, entries: entries)
            } else {
                nil
            }
        return StreamResult(
            virtualSize: reader.size, storedBytes: copied.storedBytes, index: index, sha256: copied.digests.sha256,
            readBytes: copied.readBytes)
    }
}
