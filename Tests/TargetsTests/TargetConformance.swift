import APIModel
import Foundation
import Synchronization
import Testing

@testable import Targets

/// The behaviour every `BackupTarget` shares (restic's backend test suite is the model): each
/// check runs once per `TargetKind`.
@Suite struct TargetConformance {
    static let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"

    static func id(_ text: String) -> BackupID { BackupID(validating: text)! }

    static func manifest(_ id: BackupID, created: Date? = nil, vm: String = vm) -> Manifest {
        Manifest(
            vmName: "web01", vmUUID: vm, backupID: id.rawValue, name: "nightly", created: created ?? id.date!,
            consistency: .filesystem,
            disks: [
                ManifestDisk(
                    target: "vda", method: .qcow2, format: "qcow2", virtualSize: 1 << 30, storedBytes: 4096,
                    sha256: String(repeating: "ab", count: 32), file: "vda.qcow2"),
                ManifestDisk(target: "vdb", method: .offline, format: "qcow2", file: "vdb.qcow2"),
                ManifestDisk(target: "sda", excluded: "cdrom"),
            ])
    }

    /// Bytes no two images share by chance, longer than one read chunk.
    /// An image of `count` bytes, a pattern seeded by `seed`; made once per process (a debug
    /// build takes a while over megabytes). The default size spans two of the directory
    /// target's 4 MiB read chunks.
    static func image(_ seed: UInt8, count: Int = (4 << 20) + 12345) -> [UInt8] {
        madeImages.withLock { made in
            if let image = made["\(seed)/\(count)"] { return image }
            var image = [UInt8](repeating: 0, count: count)
            image.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: index &* 31 &+ Int(seed)) }
            }
            made["\(seed)/\(count)"] = image
            return image
        }
    }

    private static let madeImages = Mutex<[String: [UInt8]]>([:])

    /// Begins `id`, writes its domain XML and both disks' images, one as a stream of chunks,
    /// the other through a local file, and commits it.
    @discardableResult
    static func publish(_ id: BackupID, on target: any BackupTarget, created: Date? = nil) async throws -> StoredBackup
    {
        let writer = try await target.begin(vmUUID: vm, backupID: id, job: "task-\(id)")
        try await writer.writeDomainXML("<domain/>")
        try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: image(1), chunkSize: 65536))
        let bytes = image(2, count: 100_000)
        _ = try await writer.writeImage(forDisk: "vdb") { path in
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return try await writer.commit(manifest(id, created: created))
    }

    @Test(arguments: TargetKind.allCases)
    func aBackupIsVisibleOnlyOnceCommitted(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let writer = try await target.begin(vmUUID: Self.vm, backupID: id)
        try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: Self.image(1)))
        #expect(try await target.list(vmUUID: Self.vm).isEmpty)
        let unpublished = await #expect(throws: TargetError.self) {
            try await target.backup(vmUUID: Self.vm, id: id.rawValue)
        }
        #expect(unpublished?.code == .notFound)

        let stored = try await writer.commit(Self.manifest(id))
        #expect(try await target.list(vmUUID: Self.vm) == [stored])
        #expect(try await target.vmUUIDs() == [Self.vm])
        #expect(stored.summary().location == stored.location)
    }

    @Test(arguments: TargetKind.allCases)
    func anAbortedBackupLeavesNothingListed(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let writer = try await target.begin(vmUUID: Self.vm, backupID: id)
        try await writer.writeDomainXML("<domain/>")
        try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: Self.image(1)))
        await writer.abort()
        await writer.abort()
        #expect(try await target.list(vmUUID: Self.vm).isEmpty)
        #expect(try await target.removePartial(vmUUID: Self.vm, backupID: id) == .absent, "abort removed the work")
        // The id is free again.
        try await Self.publish(id, on: target)
        #expect(try await target.list(vmUUID: Self.vm).map(\.manifest.backupID) == [id.rawValue])
    }

    @Test(arguments: TargetKind.allCases)
    func backupsAreListedOldestFirst(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let sameSecond = Date(timeIntervalSince1970: 1_800_000_000)
        let order = [
            ("20261122T013000Z-0003", Date(timeIntervalSince1970: 1_700_000_000)),
            ("20261122T013000Z-0002", sameSecond), ("20261122T013000Z-0001", sameSecond),
            ("20261122T013000Z-0004", Date(timeIntervalSince1970: 1_900_000_000)),
        ]
        for (text, created) in order.reversed() {
            try await Self.publish(Self.id(text), on: target, created: created)
        }
        let listed = try await target.list(vmUUID: Self.vm).map(\.manifest.backupID)
        #expect(
            listed == [
                "20261122T013000Z-0003", "20261122T013000Z-0001", "20261122T013000Z-0002", "20261122T013000Z-0004",
            ])
        #expect(try await target.list(vmUUID: "0e4b9a7c-2d51-4f0e-8a43-7f1c2b9d6e35").isEmpty, "an unknown VM has none")
    }

    @Test(arguments: TargetKind.allCases)
    func theManifestReadsBackAsCommitted(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let stored = try await Self.publish(id, on: target)
        #expect(stored.manifest == Self.manifest(id))
        #expect(try await target.backup(vmUUID: Self.vm, id: id.rawValue) == stored)
    }

    @Test(arguments: TargetKind.allCases)
    func imagesReadBackByteForByte(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        try await Self.publish(id, on: target)
        let streamed = try await target.readImage(vmUUID: Self.vm, id: id.rawValue, disk: "vda")
        #expect(try await streamed.collect() == Self.image(1), "written as a stream")
        #expect(try await streamed.collect() == Self.image(1), "each iteration reads from the start")
        let staged = try await target.readImage(vmUUID: Self.vm, id: id.rawValue, disk: "vdb")
        #expect(try await staged.collect() == Self.image(2, count: 100_000), "written through a local file")
    }

    @Test(arguments: TargetKind.allCases)
    func anUpdateChangesOnlyNameDescriptionAndProtection(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let stored = try await Self.publish(id, on: target)
        let updated = try await target.update(vmUUID: Self.vm, id: id.rawValue) {
            $0.name = "before upgrade"
            $0.description = "kernel 6.12"
            $0.protected = true
            $0.vmName = "tampered"
            $0.parent = "20261121T013000Z-0000"
            $0.disks = []
        }
        var expected = stored.manifest
        expected.name = "before upgrade"
        expected.description = "kernel 6.12"
        expected.protected = true
        #expect(updated.manifest == expected)
        #expect(try await target.backup(vmUUID: Self.vm, id: id.rawValue) == updated)
        #expect(try await target.list(vmUUID: Self.vm) == [updated])
        let image = try await target.readImage(vmUUID: Self.vm, id: id.rawValue, disk: "vda").collect()
        #expect(image == Self.image(1), "the images stay")
    }

    @Test(arguments: TargetKind.allCases)
    func aDeletedBackupIsNoLongerListed(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let gone = Self.id("20261122T013000Z-0001")
        try await Self.publish(gone, on: target)
        let kept = try await Self.publish(Self.id("20261122T013000Z-0002"), on: target)
        try await target.delete(vmUUID: Self.vm, id: gone.rawValue)
        #expect(try await target.list(vmUUID: Self.vm) == [kept])
        let error = await #expect(throws: TargetError.self) {
            try await target.readImage(vmUUID: Self.vm, id: gone.rawValue, disk: "vda")
        }
        #expect(error?.code == .notFound)
    }

    @Test(arguments: TargetKind.allCases)
    func anUnknownBackupOrDiskIsNotFound(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        try await Self.publish(id, on: target)
        let unknown = "20300101T000000Z-ffff"
        var errors: [TargetError?] = []
        errors.append(await #expect(throws: TargetError.self) { try await target.backup(vmUUID: Self.vm, id: unknown) })
        errors.append(
            await #expect(throws: TargetError.self) { try await target.update(vmUUID: Self.vm, id: unknown) { _ in } })
        errors.append(await #expect(throws: TargetError.self) { try await target.delete(vmUUID: Self.vm, id: unknown) })
        errors.append(
            await #expect(throws: TargetError.self) {
                try await target.readImage(vmUUID: Self.vm, id: unknown, disk: "vda")
            })
        for disk in ["sda", "vdz"] {
            errors.append(
                await #expect(throws: TargetError.self, "disk \(disk)") {
                    try await target.readImage(vmUUID: Self.vm, id: id.rawValue, disk: disk)
                })
        }
        #expect(errors.compactMap { $0?.code } == Array(repeating: .notFound, count: errors.count))
    }

    @Test(arguments: TargetKind.allCases)
    func aWriterRefusesWorkOnceCommittedOrAborted(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let committed = try await target.begin(vmUUID: Self.vm, backupID: Self.id("20261122T013000Z-0001"))
        _ = try await committed.commit(Self.manifest(committed.backupID))
        let aborted = try await target.begin(vmUUID: Self.vm, backupID: Self.id("20261122T013000Z-0002"))
        await aborted.abort()
        for writer in [committed, aborted] {
            var errors: [TargetError?] = []
            errors.append(await #expect(throws: TargetError.self) { try await writer.writeDomainXML("<domain/>") })
            errors.append(
                await #expect(throws: TargetError.self) {
                    try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: [1, 2, 3]))
                })
            errors.append(
                await #expect(throws: TargetError.self) {
                    try await writer.writeImage(forDisk: "vdb") { _ in 0 }
                })
            errors.append(
                await #expect(throws: TargetError.self) { try await writer.commit(Self.manifest(writer.backupID)) })
            #expect(errors.compactMap { $0?.code } == Array(repeating: .writerClosed, count: errors.count))
        }
        await committed.abort()
        #expect(try await target.list(vmUUID: Self.vm).map(\.manifest.backupID) == ["20261122T013000Z-0001"])
    }

    @Test(arguments: TargetKind.allCases)
    func anIdCannotBeBegunTwice(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let writer = try await target.begin(vmUUID: Self.vm, backupID: id)
        let begun = await #expect(throws: TargetError.self) { try await target.begin(vmUUID: Self.vm, backupID: id) }
        #expect(begun?.code == .alreadyExists)
        _ = try await writer.commit(Self.manifest(id))
        let published = await #expect(throws: TargetError.self) {
            try await target.begin(vmUUID: Self.vm, backupID: id)
        }
        #expect(published?.code == .alreadyExists)
    }

    @Test(arguments: TargetKind.allCases)
    func aManifestOfAnotherBackupIsRefusedAtCommit(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let writer = try await target.begin(vmUUID: Self.vm, backupID: Self.id("20261122T013000Z-0001"))
        let error = await #expect(throws: TargetError.self) {
            try await writer.commit(Self.manifest(Self.id("20261122T013000Z-0002")))
        }
        #expect(error?.code == .invalid)
        await writer.abort()
        #expect(try await target.list(vmUUID: Self.vm).isEmpty)
    }

    @Test(arguments: TargetKind.allCases)
    func anImageWhoseMakingFailedIsNotKept(kind: TargetKind) async throws {
        struct Failed: Error {}
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let writer = try await target.begin(vmUUID: Self.vm, backupID: id)
        await #expect(throws: Failed.self) {
            try await writer.writeImage(forDisk: "vda") { path in
                try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
                throw Failed()
            }
        }
        // The disk can be written again, and only the second image is kept.
        try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: [4, 5, 6]))
        try await writer.writeImage(forDisk: "vdb", from: ImageStream(bytes: []))
        _ = try await writer.commit(Self.manifest(id))
        #expect(try await target.readImage(vmUUID: Self.vm, id: id.rawValue, disk: "vda").collect() == [4, 5, 6])
        #expect(try await target.readImage(vmUUID: Self.vm, id: id.rawValue, disk: "vdb").collect() == [])
    }

    @Test(arguments: TargetKind.allCases)
    func workLeftByAnInterruptedJobIsRemovedByItsBackupID(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = Self.id("20261122T013000Z-0001")
        let writer = try await target.begin(vmUUID: Self.vm, backupID: id, job: "task-1")
        try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: Self.image(1)))
        // The job's process died here; recovery removes its work by the journaled id.
        #expect(try await target.removePartial(vmUUID: Self.vm, backupID: id) == .removed)
        #expect(try await target.removePartial(vmUUID: Self.vm, backupID: id) == .absent)
        #expect(try await target.list(vmUUID: Self.vm).isEmpty)
        #expect(await target.sweep().isEmpty)
    }
}
