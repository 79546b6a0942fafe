import Foundation
import Logging
import Snapshots
import Streaming
import Testing

/// Throughput of a stream over a 4 GiB qcow2 holding 1 GiB of data in 256 MiB runs.
/// Run with `VMBACKUP_BENCH=1 swift test -c release --filter StreamingBenchmark`.
@Suite(.enabled(if: qemuToolsAvailable && ProcessInfo.processInfo.environment["VMBACKUP_BENCH"] == "1"))
struct StreamingBenchmark {
    @Test func streamsOneGibibyteOfDataInFourGibibytes() async throws {
        let folder = try TemporaryFolder()
        let source = folder.file("bench.qcow2")
        let gibibyte: UInt64 = 1 << 30
        let writes = (0..<4).map { (UInt64($0) * gibibyte, gibibyte / 4, UInt8(0x10 + $0)) }
        try TestImage.qcow2(at: source, size: 4 * gibibyte, writes: writes)
        let streamer = Streamer(logger: Logger(label: "streaming-benchmark"), chunkSize: Int(ProcessInfo.processInfo.environment["X_CHUNK"] ?? "") ?? (4 << 20))

        let started = ContinuousClock.now
        let result = try await streamer.stream(
            BackupSource(target: "vda", path: source, format: "qcow2"), to: folder.file("vda.qcow2"), progress: { _ in })
        let seconds = (ContinuousClock.now - started) / .seconds(1)

        let virtualMBs = Double(result.virtualSize) / seconds / 1e6
        let dataMBs = Double(result.storedBytes) / seconds / 1e6
        print("stream: \(seconds) s, \(Int(virtualMBs)) MB/s of virtual size, \(Int(dataMBs)) MB/s of data")
        #expect(result.storedBytes == gibibyte)
    }
}
