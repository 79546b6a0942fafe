import APIModel
import Catalog
import Foundation
import Scheduling
import Targets
import Testing

@testable import Engine

/// Where an export's socket lies, what its URI is, and what runs it.
@Suite struct ExportNamingTests {
    static let uuid = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    static let backupID = "20261122T013000Z-3f9a"

    @Test func theSocketIsNamedForWhatItServes() throws {
        let path = try ExportSocketPath.path(
            folder: "/run/vmbackup/nbd", vmUUID: Self.uuid, backupID: Self.backupID, disk: "vda", exportID: "0a1b2c3d")
        #expect(path == "/run/vmbackup/nbd/\(Self.uuid)-\(Self.backupID)-vda.sock")
    }

    @Test func aNameTooLongForASocketFallsBackToTheExportID() throws {
        let folder = "/var/tmp/" + String(repeating: "x", count: 40) + "/nbd"
        let path = try ExportSocketPath.path(
            folder: folder, vmUUID: Self.uuid, backupID: Self.backupID, disk: "vda", exportID: "0a1b2c3d")
        #expect(path == folder + "/0a1b2c3d.sock")
    }

    @Test func aDiskNameWithOddCharactersFallsBackToTheExportID() throws {
        let path = try ExportSocketPath.path(
            folder: "/run/vmbackup/nbd/", vmUUID: Self.uuid, backupID: Self.backupID, disk: "../x",
            exportID: "0a1b2c3d")
        #expect(path == "/run/vmbackup/nbd/0a1b2c3d.sock")
    }

    @Test func aFolderTooDeepForAnySocketIsRefusedSayingWhatToDo() {
        let folder = "/" + String(repeating: "d", count: 100)
        let error = #expect(throws: EngineError.self) {
            try ExportSocketPath.path(
                folder: folder, vmUUID: Self.uuid, backupID: Self.backupID, disk: "vda", exportID: "0a1b2c3d")
        }
        #expect(error?.message.contains("shorter --socket") == true)
    }

    @Test func theURIPercentEncodesWhatAQueryCannotHold() {
        #expect(
            ExportSummary.uri(socket: "/run/vmbackup/nbd/a-b_c.d~e.sock")
                == "nbd+unix:///?socket=/run/vmbackup/nbd/a-b_c.d~e.sock")
        #expect(ExportSummary.uri(socket: "/tmp/my dir/x&y.sock") == "nbd+unix:///?socket=/tmp/my%20dir/x%26y.sock")
    }

    @Test func qemuNBDServesReadOnlyPersistentlyAndDiesWithTheDaemon() {
        let arguments = QemuNBDExportCommand.arguments(
            image: "/srv/backups/u/i/vda.qcow2", format: "qcow2", socket: "/run/vmbackup/nbd/x.sock",
            pidFile: QemuNBDExportCommand.pidFile(forSocket: "/run/vmbackup/nbd/x.sock"), description: "vmbackup")
        #expect(Array(arguments.prefix(3)) == ["env", "--default-signal", "--"])
        #expect(Array(arguments[3..<7]) == ["setpriv", "--pdeathsig", "TERM", "--"])
        #expect(arguments[7] == "qemu-nbd")
        for flag in [
            "--read-only", "--persistent", "--shared=8", "--format=qcow2", "--socket=/run/vmbackup/nbd/x.sock",
            "--pid-file=/run/vmbackup/nbd/x.pid",
        ] {
            #expect(arguments.contains(flag), "\(flag)")
        }
        #expect(!arguments.contains("--fork"))
        #expect(Array(arguments.suffix(2)) == ["--", "/srv/backups/u/i/vda.qcow2"])
    }

    @Test func anEarlierRunsExportIsRecognizedByItsSocketFolderOnly() {
        let ours = QemuNBDExportCommand.arguments(
            image: "/srv/i.qcow2", format: "qcow2", socket: "/run/vmbackup/nbd/x.sock",
            pidFile: "/run/vmbackup/nbd/x.pid", description: "d")
        #expect(QemuNBDExportCommand.isExport(arguments: Array(ours.dropFirst(7)), socketFolder: "/run/vmbackup/nbd"))
        #expect(
            QemuNBDExportCommand.isExport(
                arguments: ["/usr/bin/qemu-nbd", "-r", "--socket=/run/vmbackup/nbd/y.sock", "i"],
                socketFolder: "/run/vmbackup/nbd/"))
        // Another folder, another program, or the path as the image's name: not ours.
        #expect(
            !QemuNBDExportCommand.isExport(
                arguments: ["qemu-nbd", "--socket=/run/vmbackup/nbd2/y.sock", "i"], socketFolder: "/run/vmbackup/nbd"))
        #expect(
            !QemuNBDExportCommand.isExport(
                arguments: ["sleep", "--socket=/run/vmbackup/nbd/y.sock"], socketFolder: "/run/vmbackup/nbd"))
        #expect(
            !QemuNBDExportCommand.isExport(
                arguments: ["qemu-nbd", "--", "--socket=/run/vmbackup/nbd/y.sock"], socketFolder: "/run/vmbackup/nbd"))
        #expect(!QemuNBDExportCommand.isExport(arguments: [], socketFolder: "/run/vmbackup/nbd"))
    }

    @Test func aPruneSaysWhenABackupIsKeptBecauseItIsMounted() {
        #expect(
            BackupEngine.retentionReasons([.protected], exports: ["e1", "e2"], isProtected: false)
                == ["mounted (export e1, e2)"])
        #expect(BackupEngine.retentionReasons([.protected], exports: ["e1"], isProtected: true) == ["protected"])
        #expect(
            BackupEngine.retentionReasons([.last, .protected], exports: nil, isProtected: true) == [
                "keep-last", "protected",
            ])
    }
}
