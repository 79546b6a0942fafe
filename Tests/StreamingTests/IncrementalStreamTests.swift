import Foundation
import Logging
import Snapshots
import Streaming
import Targets
import Testing

private let mebibyte: UInt64 = 1 << 20
private let kibibyte: UInt64 = 1 << 10

/// Streams onto a parent's image: only changed chunks are stored, and the new image, read
/// through its backing file, holds the source's whole content.
@Suite(.enabled(if: qemuToolsAvailable, "needs qemu-img, qemu-io and qemu-nbd"))
struct IncrementalStreamTests {
    let folder: TemporaryFolder
    let streamer = Streamer(logger: Logger(label: "streaming-tests"))

    init() throws {
        folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("parent"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.file("child"), withIntermediateDirectories: true)
    }

    /// A full backup of a 16 MiB disk with data in chunks 0-3, 8 and 15, into `parent/vda.qcow2`.
    private func fullBackup(of source: String) async throws -> StreamResult {
        try TestImage.qcow2(
            at: source, size: 16 * mebibyte,
            writes: [(0, 4 * mebibyte, 0x0a), (8 * mebibyte, mebibyte, 0x0b), (15 * mebibyte, 4096, 0x0c)])
        return try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: folder.file("parent/vda.qcow2"),
            progress: { _ in })
    }

    @Test func storesOnlyChangedChunksAndReadsBackTheWholeDisk() async throws {
        let source = folder.file("disk.qcow2")
        let parent = try await fullBackup(of: source)
        // Changes: 64 KiB in chunk 1, chunk 8 zeroed, new data in chunk 12; chunks 0, 2, 3 and 15
        // are rewritten with the same bytes, which is no change.
        try run([
            "qemu-io", "-f", "qcow2", "-c", "write -P 0x7a 1M 64k", "-c", "write -z 8M 1M", "-c",
            "write -P 0x0d 12M 8k",
            "-c", "write -P 0x0a 0 1M", "-c", "write -P 0x0a 2M 2M", source,
        ])
        let index = try #require(parent.index)
        let child = folder.file("child/vda.qcow2")

        let result = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: child,
            parent: ParentImage(backingFile: "../parent/vda.qcow2", index: index), progress: { _ in })

        #expect(TestImage.sameContent(source, format: "qcow2", child, format: "qcow2"))
        #expect(result.indexText == (try TestImage.chunkIndexFile(source, format: "qcow2", scratch: folder)))
        // Chunk 1 is stored whole (1 MiB), chunk 12's 8 KiB in one 64 KiB block; chunk 8 is zeros.
        #expect(result.storedBytes == mebibyte + 64 * kibibyte)
        let info = try run(["qemu-img", "info", "--output=json", child])
        #expect(info.contains("\"backing-filename\": \"../parent/vda.qcow2\""))
        #expect(try TestImage.actualSize(child) < 3 * mebibyte)
    }

    @Test func storesNothingWhenNothingChanged() async throws {
        let source = folder.file("disk.qcow2")
        let parent = try await fullBackup(of: source)
        let child = folder.file("child/vda.qcow2")

        let result = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: child,
            parent: ParentImage(backingFile: "../parent/vda.qcow2", index: try #require(parent.index)),
            progress: { _ in })

        #expect(result.storedBytes == 0)
        #expect(result.index == parent.index)
        #expect(TestImage.sameContent(source, format: "qcow2", child, format: "qcow2"))
    }

    @Test func refusesAParentOfAnotherSize() async throws {
        let source = folder.file("disk.qcow2")
        let parent = try await fullBackup(of: source)
        try run(["qemu-img", "resize", "-q", "-f", "qcow2", source, "32M"])
        let child = folder.file("child/vda.qcow2")

        await #expect(throws: StreamError.self) {
            try await streamer.stream(
                BackupSource(target: "vda", path: source, format: "qcow2"), to: child,
                parent: ParentImage(backingFile: "../parent/vda.qcow2", index: try #require(parent.index)),
                progress: { _ in })
        }
        #expect(!FileManager.default.fileExists(atPath: child))
    }

    @Test func readsOnlyWhatTheDirtyBitmapMarks() async throws {
        let source = folder.file("disk.qcow2")
        let parent = try await fullBackup(of: source)
        // From here on the image records its writes, as a checkpoint's bitmap does.
        try run(["qemu-img", "bitmap", "--add", source, "since-parent"])
        try run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x7a 1M 64k", "-c", "write -z 8M 1M", source])
        let child = folder.file("child/vda.qcow2")

        let result = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: child,
            parent: ParentImage(
                backingFile: "../parent/vda.qcow2", index: try #require(parent.index), dirtyBitmap: "since-parent"),
            progress: { _ in })

        #expect(TestImage.sameContent(source, format: "qcow2", child, format: "qcow2"))
        #expect(result.indexText == (try TestImage.chunkIndexFile(source, format: "qcow2", scratch: folder)))
        // Chunk 1 read and stored; chunk 8 is zeros now; nothing else is read.
        #expect(result.readBytes == mebibyte)
        #expect(result.storedBytes == mebibyte)
    }

    @Test func refusesABitmapTheSourceDoesNotHave() async throws {
        let source = folder.file("disk.qcow2")
        let parent = try await fullBackup(of: source)

        await #expect(throws: StreamError.self) {
            try await streamer.stream(
                BackupSource(target: "vda", path: source, format: "qcow2"), to: folder.file("child/vda.qcow2"),
                parent: ParentImage(
                    backingFile: "../parent/vda.qcow2", index: try #require(parent.index), dirtyBitmap: "missing"),
                progress: { _ in })
        }
    }
}
