import Blocking
import Foundation
import Testing

@testable import Targets

/// The directory target blocks only the executor's threads: every call that touches the
/// filesystem goes through it, so with the executor shut down none of them gets anywhere.
@Suite struct DirectoryTargetExecutorTests {
    private let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"

    @Test func everyFilesystemCallRunsOnTheExecutor() async throws {
        let root = NSTemporaryDirectory() + "vmbt-executor-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let executor = BlockingExecutor(threads: 1)
        let target = try DirectoryTarget(root: root, executor: executor)
        let id = try #require(BackupID(validating: "20261122T013000Z-0001"))
        let writer = try await target.beginPartial(vmUUID: vm, backupID: id)
        await executor.shutdown()

        await #expect(throws: BlockingExecutorError.self) { try await target.begin(vmUUID: vm, backupID: id) }
        await #expect(throws: BlockingExecutorError.self) { try await target.vmUUIDs() }
        await #expect(throws: BlockingExecutorError.self) { try await target.list(vmUUID: vm) }
        await #expect(throws: BlockingExecutorError.self) { try await target.backup(vmUUID: vm, id: id.rawValue) }
        await #expect(throws: BlockingExecutorError.self) {
            try await target.readImage(vmUUID: vm, id: id.rawValue, disk: "vda")
        }
        await #expect(throws: BlockingExecutorError.self) {
            try await target.update(vmUUID: vm, id: id.rawValue) { _ in }
        }
        await #expect(throws: BlockingExecutorError.self) { try await target.delete(vmUUID: vm, id: id.rawValue) }
        await #expect(throws: BlockingExecutorError.self) { try await target.removePartial(vmUUID: vm, backupID: id) }
        await #expect(throws: BlockingExecutorError.self) { try await writer.writeDomainXML("<domain/>") }
        await #expect(throws: BlockingExecutorError.self) {
            try await writer.writeImage(forDisk: "vda", from: ImageStream(bytes: [1]))
        }
        await #expect(throws: BlockingExecutorError.self) {
            try await writer.commit(
                Manifest(
                    vmName: "web01", vmUUID: vm, backupID: id.rawValue, created: id.date!, consistency: .crash,
                    disks: []))
        }
        #expect(await target.sweep().problems.count == 1)
        #expect(FileManager.default.fileExists(atPath: writer.directory), "nothing ran behind the executor's back")
    }
}
