import Foundation
import Libvirt

extension Qcow2Overlay {
    /// The overlays backup `backupID` made for `disks` that still exist as files, that the domain
    /// still names, or whose write throttle is still recorded: each disk's
    /// `<image>.vmbackup-<backupID>.overlay`, with the image the disk ran on before as its
    /// backupSource. `release` commits or deletes them and sets a recorded throttle back.
    public func leftovers(of disks: [SelectedDisk], backupID: String) async throws -> [TakenSnapshot] {
        let named = try await namedOverlays()
        return disks.compactMap { disk in
            guard disk.kind == .file else { return nil }
            let overlay = Self.overlayPath(for: disk.sourcePath, backupID: backupID)
            let throttled = FileManager.default.fileExists(atPath: Self.throttleRecordPath(forOverlay: overlay))
            guard FileManager.default.fileExists(atPath: overlay) || named.contains(overlay) || throttled else {
                return nil
            }
            return TakenSnapshot(
                disk: disk, source: BackupSource(target: disk.target, path: disk.sourcePath, format: disk.format),
                artifact: overlay)
        }
    }

    /// Every image the live or the persistent definition of the domain names.
    private func namedOverlays() async throws -> Set<String> {
        let (live, persistent) = try await libvirt { domain throws(LibvirtError) in
            (try domain.xmlDescription(), try? domain.xmlDescription(inactive: true))
        }
        var paths = Set(try DomainXML.disks(fromDomainXML: live).compactMap(\.sourcePath))
        if let persistent { paths.formUnion(try DomainXML.disks(fromDomainXML: persistent).compactMap(\.sourcePath)) }
        return paths
    }
}
