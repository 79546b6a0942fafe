import APIModel
import Foundation
import Targets

/// Backups, VMs and scratch folders for the catalog's tests.
enum Fixture {
    static let vm = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    static let otherVM = "0f3c7d2e-5b1a-4e8f-9c6d-7a2b1e0d4c3f"
    /// The start of every fixture backup's clock.
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    /// A published backup of `vm` made `hours` after `epoch`, in a folder of the directory
    /// target's layout.
    static func stored(
        hours: Double, vm: String = vm, vmName: String = "web01", name: String? = nil, parent: StoredBackup? = nil,
        parentID: String? = nil
    ) -> StoredBackup {
        let created = epoch.addingTimeInterval(hours * 3600)
        let id = BackupID.generate(at: created).rawValue
        let manifest = Manifest(
            vmName: vmName, vmUUID: vm, backupID: id, name: name, created: created,
            parent: parent?.manifest.backupID ?? parentID, consistency: parent == nil ? .filesystem : .crash,
            disks: [
                ManifestDisk(
                    target: "vda", method: .qcow2, format: "qcow2", virtualSize: 1 << 30, storedBytes: 4096,
                    sha256: String(repeating: "ab", count: 32), file: "vda.qcow2"),
                ManifestDisk(target: "sda", excluded: "cdrom"),
            ])
        return StoredBackup(manifest: manifest, location: "/srv/backups/\(vm)/\(id)")
    }

    /// A new, empty folder under the temporary directory.
    static func scratchFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-catalog-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The permission bits of the file at `path`.
    static func permissions(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }
}

extension StoredBackup {
    var id: String { manifest.backupID }
}
