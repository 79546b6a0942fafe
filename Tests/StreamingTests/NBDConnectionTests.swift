import Foundation
import NBD
import Testing

private let mebibyte: UInt64 = 1 << 20

@Suite(.enabled(if: qemuToolsAvailable, "needs qemu-img, qemu-io and qemu-nbd"))
struct NBDConnectionTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    @Test func reportsSizeAndAllocationOfAQcow2Image() throws {
        let image = folder.file("a.qcow2")
        try TestImage.qcow2(at: image, size: 8 * mebibyte, writes: [(mebibyte, 128 << 10, 0xab)])
        let connection = try NBDConnection(command: ["qemu-nbd", "--read-only", "--format=qcow2", image])

        #expect(connection.size == 8 * mebibyte)
        #expect(connection.isReadOnly)
        #expect(connection.supportsBlockStatus)
        let extents = try connection.blockStatus(offset: 0, length: connection.size)
        #expect(extents.first?.offset == 0)
        #expect(extents.last?.end == 8 * mebibyte)
        #expect(zip(extents, extents.dropFirst()).allSatisfy { $0.end == $1.offset })
        let data = extents.filter { !$0.isZero }
        #expect(data == [Extent(offset: mebibyte, length: 128 << 10, isHole: false, isZero: false)])
    }

    @Test func blockStatusIsClippedToTheRequestedRange() throws {
        let image = folder.file("b.qcow2")
        try TestImage.qcow2(at: image, size: 4 * mebibyte, writes: [])
        let connection = try NBDConnection(command: ["qemu-nbd", "--read-only", "--format=qcow2", image])

        let extents = try connection.blockStatus(offset: 65536, length: 4096)
        #expect(extents == [Extent(offset: 65536, length: 4096, isHole: true, isZero: true)])
    }

    @Test func readsWritesAndZeroesAWritableImage() throws {
        let image = folder.file("c.qcow2")
        try TestImage.qcow2(at: image, size: 4 * mebibyte, writes: [])
        let connection = try NBDConnection(command: ["qemu-nbd", "--format=qcow2", image])
        let pattern = [UInt8](repeating: 0x5c, count: 8192)
        var read = [UInt8](repeating: 0, count: 8192)

        try pattern.withUnsafeBytes { try connection.pwrite($0, offset: 65536) }
        try read.withUnsafeMutableBytes { try connection.pread(into: $0, offset: 65536) }
        #expect(read == pattern)
        try connection.zero(offset: 65536, length: 4096)
        try read.withUnsafeMutableBytes { try connection.pread(into: $0, offset: 65536) }
        #expect(read[..<4096].allSatisfy { $0 == 0 })
        #expect(read[4096...].allSatisfy { $0 == 0x5c })
        try connection.flush()
        try connection.shutdown()
    }

    @Test func aFailedCallCarriesLibnbdsMessage() throws {
        let image = folder.file("d.qcow2")
        try TestImage.qcow2(at: image, size: mebibyte, writes: [])
        let connection = try NBDConnection(command: ["qemu-nbd", "--read-only", "--format=qcow2", image])
        let bytes = [UInt8](repeating: 1, count: 512)

        let error = #expect(throws: NBDError.self) {
            try bytes.withUnsafeBytes { try connection.pwrite($0, offset: 0) }
        }
        #expect(error?.call == "nbd_pwrite")
        #expect(error?.description.hasPrefix("nbd_pwrite: ") == true)
        #expect(error?.message.isEmpty == false)
    }

    @Test func aServerThatCannotStartIsAnError() {
        let error = #expect(throws: NBDError.self) {
            try NBDConnection(command: ["qemu-nbd", "--read-only", "--format=qcow2", folder.file("missing.qcow2")])
        }
        #expect(error?.call.hasPrefix("nbd_") == true)
    }
}
