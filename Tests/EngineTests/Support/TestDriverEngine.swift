import APIModel
import Catalog
import Foundation
import Logging
import Targets

@testable import Engine

/// An engine on libvirt's built-in test driver, which stands in for a host without a daemon: it
/// defines one domain, `test`. Its catalog holds what a test records; its target folder is never
/// written.
enum TestDriverEngine {
    /// The domain the test driver defines.
    static let definedName = "test"
    static let definedUUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"
    /// A VM that only the catalog knows: its domain was undefined after it was backed up.
    static let goneName = "web01"
    static let goneUUID = "8ab696c5-9e01-4a5c-9d6c-2e471893e57f"
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `body` with an engine whose catalog holds `backups`, then shuts the engine down.
    static func with(
        _ backups: [StoredBackup], _ body: (BackupEngine, BackupCatalog) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vmbt-engine-" + UUID().uuidString)
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let catalog = try BackupCatalog.inMemory()
        for stored in backups { try await catalog.record(stored, target: TargetSettings.defaultName) }
        let engine = try BackupEngine(
            settings: BackupEngine.Settings(
                libvirtURI: "test:///default",
                targets: [TargetSettings(name: TargetSettings.defaultName, directory: folder)]),
            catalog: catalog, identity: DaemonIdentity(host: "test", daemonID: "engine"),
            logger: Logger(label: "test"))
        try await body(engine, catalog)
        await engine.shutdown()
    }

    /// A published backup made `hours` after the epoch, storing 1000 bytes of one disk.
    static func stored(
        hours: Double, vmUUID: String = goneUUID, vmName: String = goneName, name: String? = nil
    ) -> StoredBackup {
        let created = epoch.addingTimeInterval(hours * 3600)
        let id = BackupID.generate(at: created).rawValue
        let manifest = Manifest(
            vmName: vmName, vmUUID: vmUUID, backupID: id, name: name, created: created, consistency: .filesystem,
            disks: [
                ManifestDisk(
                    target: "vda", method: .qcow2, format: "qcow2", virtualSize: 1 << 30, storedBytes: 1000,
                    sha256: String(repeating: "ab", count: 32), file: "vda.qcow2")
            ])
        return StoredBackup(manifest: manifest, location: "/srv/backups/\(vmUUID)/\(id)")
    }
}
