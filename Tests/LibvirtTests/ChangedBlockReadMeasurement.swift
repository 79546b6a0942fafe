import Foundation
import Libvirt
import NBD
import Testing

/// Measures what changed-block tracking saves: on a 4 GiB qcow2 disk holding 1 GiB of random data,
/// reading the 64 MiB written since a checkpoint (dirty-bitmap extents) against reading everything
/// allocated (`base:allocation` data extents), both over the NBD export of a pull-mode backup.
///
/// Off by default (it writes 4 GiB of images to /var/tmp and takes a minute): run with
/// `VMBACKUP_CBT_MEASURE=1 swift test --skip-build --filter ChangedBlockReadMeasurement`. With
/// `VMBACKUP_CBT_MEASURE=cold`, the host's page cache is dropped before each timed read (root
/// only; it slows everything else on the host for a moment).
@Suite(
    .serialized,
    .enabled(if: LibvirtHost.isReachable, "libvirtd does not answer on qemu:///system"),
    .enabled(
        if: ["1", "cold"].contains(ProcessInfo.processInfo.environment["VMBACKUP_CBT_MEASURE"]),
        "set VMBACKUP_CBT_MEASURE=1 (or cold) to run"))
struct ChangedBlockReadMeasurement {
    static let mebibyte: UInt64 = 1 << 20
    static let cold = ProcessInfo.processInfo.environment["VMBACKUP_CBT_MEASURE"] == "cold"

    /// Writes dirty pages back and drops the page cache, when measuring cold.
    static func dropCachesIfCold() throws {
        guard cold else { return }
        try HostCommand.run("/bin/sync", [])
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: "/proc/sys/vm/drop_caches"))
    }

    /// 16 runs of 64 MiB of random data, one every 256 MiB of a 4 GiB image.
    static func prepare(_ disk: String) throws {
        let raw = disk + ".raw"
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try HostCommand.run("/usr/bin/truncate", ["-s", "4G", raw])
        for run in 0..<16 {
            try HostCommand.run(
                "/usr/bin/dd",
                [
                    "if=/dev/urandom", "of=\(raw)", "bs=1M", "count=64", "seek=\(run * 256)", "conv=notrunc",
                    "status=none",
                ])
        }
        try HostCommand.run("/usr/bin/qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, disk])
    }

    @Test(.timeLimit(.minutes(20)))
    func readingTheDirtyExtentsAgainstReadingEverythingAllocated() throws {
        let guest = try CBTGuest("measure", prepare: Self.prepare)
        defer { guest.tearDown() }
        let first = CheckpointName(backupID: "measure-a")
        let second = CheckpointName(backupID: "measure-b")

        try Self.dropCachesIfCold()
        let fullStart = ContinuousClock.now
        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: nil),
            checkpoint: CheckpointDefinition(name: first, bitmapDisks: ["vda"]))
        let full = try Self.connect(guest, dirtyBitmap: false)
        let allocated = try Self.allocatedExtents(full)
        let fullBytes = try Self.read(allocated, from: full)
        let fullTime = ContinuousClock.now - fullStart
        try full.shutdown()
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())

        // 64 MiB changed: 1 MiB in each of 64 places spread over the disk, half in data, half in holes.
        for place in 0..<64 {
            try guest.write(pattern: 0xab, offset: UInt64(place) * 64 * Self.mebibyte + 4096, length: Self.mebibyte)
        }

        try Self.dropCachesIfCold()
        let incrementalStart = ContinuousClock.now
        try guest.domain.beginBackup(
            guest.pullBackup(incrementalSince: first.rawValue),
            checkpoint: CheckpointDefinition(name: second, bitmapDisks: ["vda"]))
        let incremental = try Self.connect(guest, dirtyBitmap: true)
        let dirty = try incremental.dirtyExtents(offset: 0, length: incremental.size)
        let dirtyBytes = try Self.read(dirty.map { ($0.offset, $0.length) }, from: incremental)
        let incrementalTime = ContinuousClock.now - incrementalStart
        try incremental.shutdown()
        let endStart = ContinuousClock.now
        try guest.domain.abortJob()
        #expect(try guest.waitForNoBackupJob())
        let endTime = ContinuousClock.now - endStart
        try guest.domain.deleteCheckpoint(second)
        try guest.domain.deleteCheckpoint(first)

        print(
            """
            measure\(Self.cold ? " (cold)" : ""): full: \(fullBytes >> 20) MiB allocated read in \(fullTime) \
            (\(allocated.count) extents); incremental: \(dirtyBytes >> 20) MiB dirty read in \(incrementalTime) \
            (\(dirty.count) extents); ending the job took \(endTime)
            """)
        #expect(fullBytes >= 1024 * Self.mebibyte)
        #expect(dirtyBytes >= 64 * Self.mebibyte && dirtyBytes < 80 * Self.mebibyte)
    }

    /// The running job's one disk, read through its export.
    static func connect(_ guest: CBTGuest, dirtyBitmap: Bool) throws -> NBDConnection {
        let jobXML = try guest.domain.backupJobXML()
        let disk = try #require(BackupJobXML.disks(fromBackupXML: jobXML).first)
        let socket = try #require(try BackupJobXML.socketPath(fromBackupXML: jobXML))
        return try NBDConnection(
            unixSocket: socket, exportName: disk.exportName, dirtyBitmap: dirtyBitmap ? disk.exportBitmap : nil)
    }

    /// The ranges `base:allocation` reports as data (neither hole nor zero), as a full backup reads.
    static func allocatedExtents(_ connection: NBDConnection) throws -> [(UInt64, UInt64)] {
        var ranges: [(UInt64, UInt64)] = []
        var offset: UInt64 = 0
        while offset < connection.size {
            let extents = try connection.blockStatus(offset: offset, length: connection.size - offset)
            guard let last = extents.last else { break }
            ranges += extents.filter { !$0.isHole && !$0.isZero }.map { ($0.offset, $0.length) }
            offset = last.end
        }
        return ranges
    }

    /// Reads every range into one 4 MiB buffer, piece by piece; returns the bytes read.
    static func read(_ ranges: [(UInt64, UInt64)], from connection: NBDConnection) throws -> UInt64 {
        let piece = 4 * Int(mebibyte)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: piece, alignment: 4096)
        defer { buffer.deallocate() }
        var total: UInt64 = 0
        for (offset, length) in ranges {
            var position = offset
            while position < offset + length {
                let count = Int(min(UInt64(piece), offset + length - position))
                try connection.pread(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), offset: position)
                position += UInt64(count)
                total += UInt64(count)
            }
        }
        return total
    }
}
