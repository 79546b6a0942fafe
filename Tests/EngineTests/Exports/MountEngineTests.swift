import APIModel
import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
    import Glibc
#endif

/// `vmbackup mount` in the engine, with real qemu-nbd and qemu-img on real qcow2 images.
@Suite(.serialized) struct MountEngineTests {
    private typealias Fixture = MountFixture

    @Test func aMountedDiskReadsBackAsItsStoredImageAndTakesNoWrites() async throws {
        try await Fixture.with { engine, fixture in
            let image = fixture.image(fixture.backupIDs[0])
            let before = try Fixture.sha256(image)
            let export = try await engine.mount(vm: Fixture.vmName, id: "latest", request: MountRequest())
            #expect(export.disk == "vda")
            #expect(export.backupID == fixture.backupIDs[0])
            #expect(export.socket.hasPrefix(fixture.socketFolder + "/"))
            #expect(export.uri == "nbd+unix:///?socket=" + export.socket)
            #expect(engine.listExports() == [export])
            var info = stat()
            #expect(lstat(export.socket, &info) == 0 && info.st_mode & 0o777 == 0o660)

            let same = try Fixture.run(["qemu-img", "compare", "-f", "raw", "-F", "qcow2", export.uri, image])
            #expect(same.status == 0, "\(same.output)")
            let write = try Fixture.run(
                ["qemu-io", "-f", "raw", "-c", "write -P 0x55 0 64k", export.uri], check: false)
            #expect(write.status != 0, "\(write.output)")
            #expect(
                try Fixture.run(["qemu-img", "compare", "-f", "raw", "-F", "qcow2", export.uri, image]).status == 0)

            #expect(try await engine.unmount(id: export.id) == export)
            #expect(!FileManager.default.fileExists(atPath: export.socket))
            #expect(Fixture.qemuNBDProcesses(servingIn: fixture.socketFolder).isEmpty)
            #expect(engine.listExports().isEmpty)
            #expect(try Fixture.sha256(image) == before, "the stored image is unchanged")
        }
    }

    @Test func aMountedBackupIsNeitherDeletedNorPrunedUntilUnmounted() async throws {
        try await Fixture.with(backups: 2, keepLast: 1) { engine, fixture in
            let older = fixture.backupIDs[0]
            let export = try await engine.mount(vm: Fixture.vmName, id: older, request: MountRequest(disk: "vda"))

            let refused = await #expect(throws: EngineError.self) {
                try await engine.deleteBackup(vm: Fixture.vmName, id: older, children: nil)
            }
            #expect(refused?.code == .backupInUse)
            #expect(refused?.message.contains("export \(export.id)") == true)
            #expect(refused?.message.contains("vmbackup unmount \(export.id)") == true)

            let pruned = try await engine.prune(vm: Fixture.vmName, request: PruneRequest(dryRun: false))
            #expect(pruned.removed.isEmpty)
            let row = try #require(pruned.entries.first { $0.id == older })
            #expect(row.action == "keep")
            #expect(row.reasons == ["mounted (export \(export.id))"])
            #expect(try await engine.listBackups(vm: Fixture.vmName).count == 2)

            _ = try await engine.unmount(id: export.id)
            let after = try await engine.prune(vm: Fixture.vmName, request: PruneRequest(dryRun: false))
            #expect(after.removed == [older])
            #expect(try await engine.listBackups(vm: Fixture.vmName).map(\.id) == [fixture.backupIDs[1]])
        }
    }

    @Test func theSameDiskIsServedOnceAndAnUnknownExportIsNotFound() async throws {
        try await Fixture.with { engine, _ in
            let export = try await engine.mount(vm: Fixture.vmName, id: "latest", request: MountRequest())
            let twice = await #expect(throws: EngineError.self) {
                try await engine.mount(vm: Fixture.vmName, id: "latest", request: MountRequest(disk: "vda"))
            }
            #expect(twice?.code == .alreadyExists)
            #expect(twice?.message.contains(export.socket) == true)
            let unknown = await #expect(throws: EngineError.self) { try await engine.unmount(id: "ffffffff") }
            #expect(unknown?.code == .exportNotFound)
            #expect(throws: EngineError.self) { try engine.export(id: "ffffffff") }
            #expect(try engine.export(id: export.id) == export)
        }
    }

    @Test func anExcludedDiskIsABadRequestAndNothingStarts() async throws {
        try await Fixture.with { engine, fixture in
            let error = await #expect(throws: EngineError.self) {
                try await engine.mount(vm: Fixture.vmName, id: "latest", request: MountRequest(disk: "sda"))
            }
            #expect(error?.code == .badRequest)
            #expect(engine.listExports().isEmpty)
            #expect(Fixture.qemuNBDProcesses(servingIn: fixture.socketFolder).isEmpty)
        }
    }

    @Test func anImageQemuNBDCannotReadFailsTheMountAndLeavesNothing() async throws {
        try await Fixture.with { engine, fixture in
            let id = fixture.backupIDs[0]
            try Data("not a qcow2 image".utf8).write(to: URL(fileURLWithPath: fixture.image(id)))
            let error = await #expect(throws: EngineError.self) {
                try await engine.mount(vm: Fixture.vmName, id: id, request: MountRequest())
            }
            #expect(error?.code == .targetFailed)
            #expect(error?.message.contains("qemu-nbd") == true, "\(String(describing: error))")
            // qemu-nbd's own last line on standard error says why.
            #expect(error?.message.contains("not in qcow2 format") == true, "\(String(describing: error))")
            #expect(engine.listExports().isEmpty)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: fixture.socketFolder)) == [])
            #expect(try await engine.deleteBackup(vm: Fixture.vmName, id: id, children: nil).deleted == [id])
        }
    }

    @Test func shutdownStopsEveryExport() async throws {
        var socketFolder = ""
        try await Fixture.with { engine, fixture in
            socketFolder = fixture.socketFolder
            _ = try await engine.mount(vm: Fixture.vmName, id: "latest", request: MountRequest())
            #expect(Fixture.qemuNBDProcesses(servingIn: socketFolder).count == 1)
            await engine.exportRegistry.stopAll()
            #expect(Fixture.qemuNBDProcesses(servingIn: socketFolder).isEmpty)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: socketFolder)) == [])
            let refused = await #expect(throws: EngineError.self) {
                try await engine.mount(vm: Fixture.vmName, id: "latest", request: MountRequest())
            }
            #expect(refused?.code == .shuttingDown)
        }
    }

    @Test func whatAnEarlierRunLeftServingIsStoppedAndItsSocketRemoved() async throws {
        try await Fixture.with { engine, fixture in
            let socket = fixture.socketFolder + "/leftover.sock"
            let leftover = Process()
            leftover.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // Signals unblocked, as the daemon starts its qemu-nbd.
            leftover.arguments = [
                "--default-signal", "qemu-nbd", "--read-only", "--persistent", "--format=qcow2", "--socket=\(socket)",
                fixture.image(fixture.backupIDs[0]),
            ]
            leftover.standardInput = FileHandle.nullDevice
            try leftover.run()
            defer { if leftover.isRunning { kill(leftover.processIdentifier, SIGKILL) } }
            for _ in 0..<200 where !QemuNBDServer.isSocket(socket) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(QemuNBDServer.isSocket(socket))

            await engine.exportRegistry.removeLeftovers()
            for _ in 0..<100 where leftover.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!leftover.isRunning)
            #expect(leftover.terminationStatus == SIGTERM || leftover.terminationStatus == 0)
            #expect(!FileManager.default.fileExists(atPath: socket))
        }
    }
}
