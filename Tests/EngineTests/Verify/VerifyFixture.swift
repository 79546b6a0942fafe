import APIModel
import Foundation
import Streaming
import Targets

@testable import Engine

/// A backup of two disks as a verify sees it, and fake effects that read it back as told.
enum VerifyFixture {
    static let vmUUID = "4d1c0c52-3d1e-4a8b-9a57-0f4a2f9e1a11"
    static let backupID = "20270115T080000Z-0a0b"
    static let chunkSize = 1 << 20

    /// Disk `vda`'s content: 4 MiB whose chunks 1 and 3 hold data.
    static let vdaIndex = ChunkIndex(
        chunkSize: chunkSize, virtualSize: 4 << 20,
        entries: [
            .init(number: 1, digest: ChunkDigest(hashing: Array("one".utf8))),
            .init(number: 3, digest: ChunkDigest(hashing: Array("three".utf8))),
        ])
    /// Disk `vdb`'s content, format 1: 2 MiB hashed whole.
    static let vdbSHA256 = String(repeating: "5e", count: 32)
    static let nvram: [UInt8] = Array(repeating: 0x4e, count: 128)

    static var manifest: Manifest {
        Manifest(
            vmName: "web01", vmUUID: vmUUID, backupID: backupID, created: Date(timeIntervalSince1970: 1_800_000_000),
            consistency: .crash,
            disks: [
                ManifestDisk(
                    target: "vda", method: .offline, format: "qcow2", virtualSize: 4 << 20, storedBytes: 2 << 20,
                    index: "vda.index", chunkSize: chunkSize, digest: vdaIndex.digest, file: "vda.qcow2"),
                ManifestDisk(
                    target: "vdb", method: .offline, format: "qcow2", virtualSize: 2 << 20, storedBytes: 0,
                    sha256: vdbSHA256, file: "vdb.qcow2"),
                ManifestDisk(target: "sda", excluded: "cdrom"),
            ],
            files: [
                ManifestFile(
                    role: .nvram, file: "nvram.fd", size: UInt64(nvram.count), sha256: ChunkDigest(hashing: nvram).hex,
                    source: "/var/lib/libvirt/qemu/nvram/web01_VARS.fd")
            ])
    }

    static var plan: VerifyPlan {
        VerifyPlan(vmName: "web01", vmUUID: vmUUID, backupID: backupID, targetName: "default", manifest: manifest)
    }

    static var files: [String: [UInt8]] { ["vda.index": vdaIndex.encoded(), "nvram.fd": nvram] }

    static var readings: [String: DiskReading] {
        [
            "vda": .read(StreamResult(virtualSize: 4 << 20, storedBytes: 2 << 20, index: vdaIndex)),
            "vdb": .read(StreamResult(virtualSize: 2 << 20, storedBytes: 0, sha256: vdbSHA256)),
        ]
    }
}

/// Effects that answer from fixed files and readings; a name missing from them is `notFound`.
actor FakeVerifyEffects: VerifyEffects {
    var manifest: Manifest? = VerifyFixture.manifest
    var files = VerifyFixture.files
    var readings = VerifyFixture.readings
    /// A disk whose read throws this instead.
    var readErrors: [String: any Error] = [:]
    /// Called while a disk is read, before it answers: lets a test cancel mid-read.
    var whileReading: (@Sendable (String) async -> Void)?
    private(set) var read: [String] = []
    private(set) var hashings: [String: ContentHashing] = [:]

    func change(_ body: @Sendable (isolated FakeVerifyEffects) -> Void) { body(self) }

    func readManifest() async throws -> Manifest {
        guard let manifest else { throw TargetError.notFound("read manifest of", "memory:/backup") }
        return manifest
    }

    func readFile(named name: String) async throws -> [UInt8] {
        guard let bytes = files[name] else {
            throw TargetError("read", path: "memory:/backup/" + name, errno: ENOENT, reason: "no such file")
        }
        return bytes
    }

    func readDisk(
        _ disk: ManifestDisk, hashing: ContentHashing, progress: @escaping @Sendable (UInt64) -> Void
    ) async throws -> DiskReading {
        read.append(disk.target)
        hashings[disk.target] = hashing
        await whileReading?(disk.target)
        if let error = readErrors[disk.target] { throw error }
        guard let reading = readings[disk.target] else {
            throw TargetError("read image", path: "memory:/backup/" + disk.target, errno: ENOENT, reason: "not a file")
        }
        progress((disk.virtualSize ?? 0) / 2)
        progress(disk.virtualSize ?? 0)
        return reading
    }
}
