import Foundation
import Logging
import Snapshots
import Streaming
import Targets
import Testing

private let mebibyte: UInt64 = 1 << 20
private let kibibyte: UInt64 = 1 << 10

@Suite(.enabled(if: qemuToolsAvailable, "needs qemu-img, qemu-io and qemu-nbd"))
struct StreamerTests {
    let folder: TemporaryFolder
    let streamer = Streamer(logger: Logger(label: "streaming-tests"))

    init() throws { folder = try TemporaryFolder() }

    @Test func copiesQcow2ContentAndHashesItLikeSha256sum() async throws {
        let source = folder.file("source.qcow2")
        try TestImage.qcow2(
            at: source, size: 64 * mebibyte,
            writes: [
                (1 * mebibyte, 64 * kibibyte, 0xab), (10 * mebibyte, 3 * mebibyte, 0x11),
                (64 * mebibyte - 4096, 4096, 0x7f),
            ])
        let destination = folder.file("vda.qcow2")
        let progress = ProgressLog()

        let result = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: destination, hashing: .whole,
            progress: progress.record)

        #expect(TestImage.sameContent(source, format: "qcow2", destination, format: "qcow2"))
        #expect(result.virtualSize == 64 * mebibyte)
        #expect(result.sha256 == (try TestImage.sha256OfContent(source, format: "qcow2", scratch: folder)))
        #expect(result.index == nil)
        // 64 KiB + 3 MiB written exactly; the last 4 KiB lies in one 64 KiB block written whole.
        #expect(result.storedBytes == 64 * kibibyte + 3 * mebibyte + 64 * kibibyte)
        #expect(progress.values.last == result.virtualSize)
        #expect(progress.values == progress.values.sorted())
        #expect(TestImage.isUnlocked(destination))
    }

    @Test func copiesSparseRawContent() async throws {
        let source = folder.file("source.raw")
        try TestImage.raw(
            at: source, size: 32 * mebibyte, writes: [(0, 512, 0x01), (5 * mebibyte + 4096, 8192, 0xfe)])
        let destination = folder.file("vdb.qcow2")

        let result = try await streamer.stream(
            BackupSource(target: "vdb", path: source, format: "raw"), to: destination, progress: { _ in })

        #expect(TestImage.sameContent(source, format: "raw", destination, format: "qcow2"))
        #expect(result.indexText == (try TestImage.chunkIndexFile(source, format: "raw", scratch: folder)))
        // A raw file's data is as fine-grained as its file system's blocks: at least the bytes
        // written, at most the two 64 KiB blocks that hold them.
        #expect(result.storedBytes >= 512 + 8192)
        #expect(result.storedBytes <= 2 * 64 * kibibyte)
        #expect(result.virtualSize == 32 * mebibyte)
    }

    @Test func writesNeitherHolesNorAllocatedZeros() async throws {
        let source = folder.file("mostly-empty.qcow2")
        try TestImage.qcow2(
            at: source, size: 1024 * mebibyte,
            writes: [(100 * mebibyte, 8 * mebibyte, 0x00), (512 * mebibyte, 1 * mebibyte, 0xcd)])
        let destination = folder.file("vdc.qcow2")

        let result = try await streamer.stream(
            BackupSource(target: "vdc", path: source, format: "qcow2"), to: destination, progress: { _ in })

        #expect(result.storedBytes == 1 * mebibyte)
        #expect(try TestImage.actualSize(destination) < 4 * mebibyte)
        #expect(TestImage.sameContent(source, format: "qcow2", destination, format: "qcow2"))
        #expect(result.indexText == (try TestImage.chunkIndexFile(source, format: "qcow2", scratch: folder)))
        #expect(result.index?.entries.map(\.number) == [512])
    }

    @Test func copiesTheGuestVisibleContentOfABackingChain() async throws {
        let base = folder.file("base.qcow2")
        let top = folder.file("top.qcow2")
        try TestImage.qcow2(
            at: base, size: 16 * mebibyte, writes: [(0, 4 * mebibyte, 0x0b), (8 * mebibyte, mebibyte, 0x0c)])
        try run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, top])
        // The top hides part of the base's data behind new data and behind zeros.
        try run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x7a 1M 64k", "-c", "write -z 2M 1M", top])

        let result = try await streamer.stream(
            BackupSource(target: "vda", path: top, format: "qcow2"), to: folder.file("vda.qcow2"), progress: { _ in })

        #expect(TestImage.sameContent(top, format: "qcow2", folder.file("vda.qcow2"), format: "qcow2"))
        #expect(result.indexText == (try TestImage.chunkIndexFile(top, format: "qcow2", scratch: folder)))
        #expect(result.storedBytes == 4 * mebibyte)
        let info = try run(["qemu-img", "info", "--output=json", folder.file("vda.qcow2")])
        #expect(!info.contains("backing-filename"))
    }

    @Test func indexesChunksThatStraddleWindowsAndAShortLastChunk() async throws {
        // 5 MiB + 12 KiB: the last chunk is 12 KiB long and holds data; windows of 256 KiB are
        // smaller than the 1 MiB chunks, so every chunk is hashed across several windows.
        let size = 5 * mebibyte + 12 * kibibyte
        let source = folder.file("odd.raw")
        try TestImage.raw(
            at: source, size: size,
            writes: [
                (mebibyte - 4096, 8192, 0x31), (3 * mebibyte + 700 * kibibyte, 4096, 0x32), (size - 512, 512, 0x33),
            ])
        let small = Streamer(logger: Logger(label: "streaming-tests"), chunkSize: 256 << 10)

        let result = try await small.stream(
            BackupSource(target: "vda", path: source, format: "raw"), to: folder.file("vda.qcow2"), progress: { _ in })

        #expect(result.indexText == (try TestImage.chunkIndexFile(source, format: "raw", scratch: folder)))
        #expect(result.index?.entries.map(\.number) == [0, 1, 3, 5])
    }

    @Test func readsWithoutADestinationToTheSameIndex() async throws {
        let source = folder.file("source.qcow2")
        try TestImage.qcow2(at: source, size: 8 * mebibyte, writes: [(2 * mebibyte, 64 * kibibyte, 0x5c)])

        let written = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: folder.file("vda.qcow2"), progress: { _ in }
        )
        let read = try await streamer.copy(
            disk: "vda", image: folder.file("vda.qcow2"), format: "qcow2", to: nil,
            hashing: .chunks(size: ChunkIndex.defaultChunkSize), progress: { _ in })

        #expect(read.index == written.index)
        #expect(read.storedBytes == 0)
    }

    @Test func overwritesAnExistingImageZerosIncluded() async throws {
        let source = folder.file("source.qcow2")
        try TestImage.qcow2(at: source, size: 8 * mebibyte, writes: [(mebibyte, 64 * kibibyte, 0x5c)])
        // An old disk full of 0xff: every byte the source has as zero must become zero.
        let old = folder.file("old.raw")
        try TestImage.raw(at: old, size: 8 * mebibyte, writes: [(0, 8 * mebibyte, 0xff)])

        let result = try await streamer.copy(
            disk: "vda", image: source, format: "qcow2", to: .existing(old, format: "raw"),
            hashing: .chunks(size: ChunkIndex.defaultChunkSize), progress: { _ in })

        #expect(TestImage.sameContent(source, format: "qcow2", old, format: "raw"))
        #expect(result.storedBytes == 64 * kibibyte)
    }

    @Test func neverOverwritesAFileWhenMakingANewImage() async throws {
        let source = folder.file("source.qcow2")
        try TestImage.qcow2(at: source, size: mebibyte, writes: [])
        let taken = folder.file("taken.qcow2")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: taken))

        let error = await #expect(throws: StreamError.self) {
            try await streamer.copy(
                disk: "vda", image: source, format: "qcow2", to: .new(taken), hashing: .whole, progress: { _ in })
        }
        #expect(error?.step == .creatingDestination)
        #expect(FileManager.default.contents(atPath: taken) == Data("keep me".utf8))
    }

    @Test func stopsWhenTheCallerCancelsAndRemovesTheDestination() async throws {
        let source = folder.file("source.qcow2")
        try TestImage.qcow2(at: source, size: 256 * mebibyte, writes: [(0, 256 * mebibyte, 0x42)])
        let destination = folder.file("vda.qcow2")
        let progress = ProgressLog()

        let error = await #expect(throws: StreamError.self) {
            try await streamer.stream(
                BackupSource(target: "vda", path: source, format: "qcow2"), to: destination,
                progress: progress.record, isCancelled: { !progress.values.isEmpty })
        }
        #expect(error?.isCancelled == true)
        // It stops within the few chunks already in flight, far from the 64 chunks of the image.
        #expect(progress.values.count <= 10)
        #expect((progress.values.last ?? 0) < 256 * mebibyte)
        #expect(!FileManager.default.fileExists(atPath: destination))
    }

    @Test func stopsWhenTheCallingTaskIsCancelled() async throws {
        let source = folder.file("source.qcow2")
        try TestImage.qcow2(at: source, size: 512 * mebibyte, writes: [(0, 512 * mebibyte, 0x42)])
        let destination = folder.file("vda.qcow2")
        let progress = ProgressLog()
        let streamer = self.streamer
        // The first progress report cancels the task, however busy the machine is.
        let canceller = Canceller()
        let task = Task {
            try await streamer.stream(
                BackupSource(target: "vda", path: source, format: "qcow2"), to: destination,
                progress: {
                    progress.record($0)
                    canceller.cancel()
                })
        }
        canceller.watch(task)

        let error = await #expect(throws: StreamError.self) { try await task.value }
        #expect(error?.isCancelled == true)
        #expect((progress.values.last ?? 0) < 512 * mebibyte)
    }

    @Test func namesDiskAndPathWhenTheSourceIsMissing() async throws {
        let missing = folder.file("missing.qcow2")

        let error = await #expect(throws: StreamError.self) {
            try await streamer.stream(
                BackupSource(target: "vdz", path: missing, format: "qcow2"), to: folder.file("vdz.qcow2"),
                progress: { _ in })
        }
        #expect(error?.step == .inspecting)
        #expect(error?.isCancelled == false)
        #expect(error?.description.hasPrefix("disk vdz: cannot read the size of \(missing): ") == true)
        #expect(error?.description.contains("No such file or directory") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.file("vdz.qcow2")))
    }

    @Test func refusesFormatsOtherThanQcow2AndRaw() async throws {
        let error = await #expect(throws: StreamError.self) {
            try await streamer.stream(
                BackupSource(target: "vda", path: folder.file("a.vmdk"), format: "vmdk"), to: folder.file("vda.qcow2"),
                progress: { _ in })
        }
        #expect(error?.description.contains("unsupported format \"vmdk\"") == true)
    }

    @Test func reportsTheVirtualSizeOfAnImage() async throws {
        let qcow2 = folder.file("a.qcow2")
        let raw = folder.file("b.raw")
        try TestImage.qcow2(at: qcow2, size: 3 * mebibyte, writes: [])
        try TestImage.raw(at: raw, size: 5 * mebibyte, writes: [])

        #expect(try await Streamer.virtualSize(of: qcow2, format: "qcow2") == 3 * mebibyte)
        #expect(try await Streamer.virtualSize(of: raw, format: "raw") == 5 * mebibyte)
    }
}
