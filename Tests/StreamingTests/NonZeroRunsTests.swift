import Testing

@testable import Streaming

@Suite struct NonZeroRunsTests {
    let zeros = ZeroBuffer(count: 1 << 20)

    /// Runs of `bytes` (a buffer read at image offset `offset`) with 4-byte blocks.
    private func runs(_ bytes: [UInt8], at offset: UInt64 = 0) -> [Range<Int>] {
        bytes.withUnsafeBytes { NonZeroRuns.find(in: $0, at: offset, granularity: 4, zeros: zeros) }
    }

    @Test func anAllZeroBufferHasNoRuns() {
        #expect(runs(Array(repeating: 0, count: 64)).isEmpty)
        #expect(runs([]).isEmpty)
    }

    @Test func neighbouringNonZeroBlocksMergeIntoOneRun() {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[5] = 1
        bytes[8] = 1
        bytes[27] = 9
        #expect(runs(bytes) == [4..<12, 24..<28])
    }

    @Test func blocksAlignToImageOffsetsNotToTheBuffer() {
        var bytes = [UInt8](repeating: 0, count: 10)
        bytes[0] = 1
        bytes[9] = 1
        // Read at offset 2: blocks are [2,4) [4,8) [8,12) of the image, i.e. 0..<2, 2..<6, 6..<10.
        #expect(runs(bytes, at: 2) == [0..<2, 6..<10])
    }

    @Test func theZeroBufferReadsAsZeros() {
        #expect(zeros.isZero(zeros.prefix(1 << 20)))
        #expect(zeros.prefix(0).isEmpty)
    }
}

@Suite struct StreamErrorTests {
    @Test func describesDiskPathAndStepInOneLine() {
        let error = StreamError(.reading, disk: "vda", path: "/var/lib/a.qcow2", reason: "nbd_pread: EIO")
        #expect(error.description == "disk vda: cannot read /var/lib/a.qcow2: nbd_pread: EIO")
        #expect(!error.isCancelled)
        #expect(!error.description.contains("\n"))
    }

    @Test func cancellationIsRecognisable() {
        let error = StreamError.cancelled(disk: "vdb", path: "/images/b.raw")
        #expect(error.isCancelled)
        #expect(error.description == "disk vdb: streaming /images/b.raw was cancelled")
    }

    @Test func anErrorWithoutDiskNamesThePathOnly() {
        let error = StreamError(.inspecting, disk: "", path: "/x.qcow2", reason: "gone")
        #expect(error.description == "cannot read the size of /x.qcow2: gone")
    }
}
