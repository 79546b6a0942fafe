import Foundation
import Testing

@testable import Targets

/// The files a backup keeps besides its images (chunk indexes, NVRAM, TPM state) and the local
/// image file QEMU's tools read, on every target kind.
@Suite struct TargetFilesConformance {
    @Test(arguments: TargetKind.allCases)
    func filesWrittenBesideTheImagesReadBackOncePublished(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = TargetConformance.id("20261122T013000Z-0001")
        let writer = try await target.begin(vmUUID: TargetConformance.vm, backupID: id)
        try await writer.writeDomainXML("<domain><name>web01</name></domain>")
        let index = Array("abc\n".utf8)
        try await writer.writeFile(named: "vda.index", contents: index)
        try await writer.writeFile(named: BackupFiles.nvram, contents: [1, 2, 3])
        let again = await #expect(throws: TargetError.self) {
            try await writer.writeFile(named: "vda.index", contents: [])
        }
        #expect(again?.code == .alreadyExists)
        try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: TargetConformance.image(1)))
        _ = try await writer.commit(TargetConformance.manifest(id))

        let vm = TargetConformance.vm
        #expect(try await target.readFile(vmUUID: vm, id: id.rawValue, named: "vda.index") == index)
        #expect(try await target.readFile(vmUUID: vm, id: id.rawValue, named: BackupFiles.nvram) == [1, 2, 3])
        #expect(
            try await target.readFile(vmUUID: vm, id: id.rawValue, named: BackupFiles.domainXML)
                == Array("<domain><name>web01</name></domain>".utf8))
        let missing = await #expect(throws: TargetError.self) {
            try await target.readFile(vmUUID: vm, id: id.rawValue, named: "vdb.index")
        }
        #expect(missing?.code == .notFound)
    }

    @Test(arguments: TargetKind.allCases)
    func namesTheTargetKeepsForItselfAreRefused(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let writer = try await target.begin(
            vmUUID: TargetConformance.vm, backupID: TargetConformance.id("20261122T013000Z-0001"))
        defer { Task { await writer.abort() } }
        for name in ["manifest.json", "domain.xml", "vda.qcow2", "../escape", ".hidden", "owner.json"] {
            let refused = await #expect(throws: TargetError.self, "\(name)") {
                try await writer.writeFile(named: name, contents: [0])
            }
            #expect(refused?.code == .invalid, "\(name)")
        }
    }

    @Test(arguments: TargetKind.allCases)
    func theImageFileHoldsTheStoredBytes(kind: TargetKind) async throws {
        let (target, cleanUp) = try kind.make()
        defer { cleanUp() }
        let id = TargetConformance.id("20261122T013000Z-0001")
        try await TargetConformance.publish(id, on: target)

        let bytes = try await target.withImageFile(vmUUID: TargetConformance.vm, id: id.rawValue, disk: "vdb") {
            path in
            FileManager.default.contents(atPath: path).map(Array.init)
        }
        #expect(bytes == TargetConformance.image(2, count: 100_000))
        let missing = await #expect(throws: TargetError.self) {
            try await target.withImageFile(vmUUID: TargetConformance.vm, id: id.rawValue, disk: "sda") { _ in }
        }
        #expect(missing?.code == .notFound)
    }
}
