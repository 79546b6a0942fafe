import APIModel
import ControlAPI
import Foundation

/// The export endpoints of the fake: every backup holds one disk, `vda`; export ``exportID`` is
/// served, every other id is unknown. A mount answers with an export of the disk it was asked for,
/// so the tests see what reached the controller.
extension FakeBackupController {
    static let exportID = "0a1b2c3d"

    static func export(vm: String, backupID: String, disk: String) -> ExportSummary {
        let socket = "/run/vmbackup/nbd/\(uuid)-\(backupID)-\(disk).sock"
        return ExportSummary(
            id: exportID, vmName: vm, vmUUID: uuid, backupID: backupID, disk: disk, virtualSize: 1 << 30,
            socket: socket, uri: ExportSummary.uri(socket: socket), started: created)
    }

    func mount(vm: String, id: String, request: MountRequest) async throws -> ExportSummary {
        let backup = try await backup(vm: vm, id: id)
        let disk = request.disk ?? "vda"
        guard disk == "vda" else {
            throw APIErrorInfo(
                .badRequest, "backup \(backup.id) of VM \(vm) has no disk \"\(disk)\"; its stored disks: vda")
        }
        return Self.export(vm: vm, backupID: backup.id, disk: disk)
    }

    func exports() async throws -> [ExportSummary] {
        [Self.export(vm: "web01", backupID: Self.fullID, disk: "vda")]
    }

    func export(id: String) async throws -> ExportSummary {
        guard id == Self.exportID else { throw APIErrorInfo(.exportNotFound, "no export \"\(id)\"") }
        return Self.export(vm: "web01", backupID: Self.fullID, disk: "vda")
    }

    func unmount(id: String) async throws -> ExportSummary {
        try await export(id: id)
    }
}
