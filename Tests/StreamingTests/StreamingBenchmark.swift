import Foundation
import Logging
import Snapshots
import Streaming
import Targets
import Testing

/// Throughput of streaming a qcow2 source into a new qcow2 image, printed as MB/s.
/// Run with `VMBACKUP_BENCH=1 swift test -c release --filter StreamingBenchmark`.
@Suite(
    .enabled(if: qemuToolsAvailable && ProcessInfo.processInfo.environment["VMBACKUP_BENCH"] == "1"),
    .serialized)
struct StreamingBenchmark {
    private static let gibibyte: UInt64 = 1 << 30

    @Test func sparseImageOfOneGibibyteDataInFour() async throws {
        let writes = (0..<4).map { (UInt64($0) * Self.gibibyte, Self.gibibyte / 4, UInt8(0x10 + $0)) }
        let result = try await measure("1 GiB data in 4 GiB", size: 4 * Self.gibibyte, writes: writes)
        #expect(result.storedBytes == Self.gibibyte)
    }

    /// Format 1 hashed every byte, zeros included; format 2 hashes only the chunks that hold
    /// data. The same image and copy loop, hashed both ways.
    @Test(arguments: [ContentHashing.whole, .chunks(size: ChunkIndex.defaultChunkSize)])
    func hashingOneGibibyteDataInFour(hashing: ContentHashing) async throws {
        let writes = (0..<4).map { (UInt64($0) * Self.gibibyte, Self.gibibyte / 4, UInt8(0x20 + $0)) }
        let name = hashing == .whole ? "format 1 (whole content)" : "format 2 (chunk index)"
        let result = try await measure(
            "1 GiB data in 4 GiB, \(name)", size: 4 * Self.gibibyte, writes: writes, hashing: hashing)
        #expect(result.storedBytes == Self.gibibyte)
    }

    @Test func fullImageOfOneGibibyte() async throws {
        let result = try await measure("1 GiB fully allocated", size: Self.gibibyte, writes: [(0, Self.gibibyte, 0x5a)])
        #expect(result.storedBytes == Self.gibibyte)
    }

    private func measure(
        _ name: String, size: UInt64, writes: [(offset: UInt64, length: UInt64, pattern: UInt8)],
        hashing: ContentHashing = .chunks(size: ChunkIndex.defaultChunkSize)
    ) async throws -> StreamResult {
        let folder = try TemporaryFolder()
        let source = folder.file("bench.qcow2")
        try TestImage.qcow2(at: source, size: size, writes: writes)
        let streamer = Streamer(logger: Logger(label: "streaming-benchmark"))

        let started = ContinuousClock.now
        let result = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: folder.file("vda.qcow2"), hashing: hashing,
            progress: { _ in })
        let seconds = (ContinuousClock.now - started) / .seconds(1)

        let virtual = Int(Double(result.virtualSize) / seconds / 1e6)
        let data = Int(Double(result.storedBytes) / seconds / 1e6)
        print("benchmark \(name): \(seconds) s, \(virtual) MB/s of virtual size, \(data) MB/s of data")
        return result
    }
}
