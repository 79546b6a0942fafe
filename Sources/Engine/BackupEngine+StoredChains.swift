import Catalog
import Streaming
import Targets

/// Reading how a VM's backups on a target are linked, images included.
extension BackupEngine {
    /// The chains among `backups` (one VM's, all on target `name`): their manifests' parents, and
    /// the backing file each image names where its manifest names one (`qemu-img info`). A target
    /// that keeps no image as a local file is read by its manifests alone (nothing can be merged
    /// there); such disks, and missing images, are listed as uninspected.
    func storedChains(of backups: [CatalogBackup], target name: String) async throws -> StoredChains {
        let store = try target(named: name)
        let ids = Set(backups.map(\.id))
        var links: [StoredChains.Link] = []
        var uninspected: Set<String> = []
        for backup in backups {
            for disk in backup.manifest.disks where disk.excluded == nil && disk.backingFile != nil {
                let path: String?
                do {
                    path = try await store.localImagePath(vmUUID: backup.vmUUID, id: backup.id, disk: disk.target)
                } catch let error as TargetError where error.code == .notFound {
                    path = nil
                } catch {
                    throw EngineError(.targetFailed, "cannot find disk \(disk.target) of backup \(backup.id): \(error)")
                }
                guard let path else {
                    uninspected.insert(backup.id)
                    continue
                }
                let layer: ImageLayer
                do {
                    layer = try await Streamer.layer(of: path)
                } catch {
                    throw EngineError(.targetFailed, "cannot read disk \(disk.target) of backup \(backup.id): \(error)")
                }
                let parent = layer.backingFile.flatMap { StoredChains.backup(named: $0, among: ids) }
                links.append(
                    StoredChains.Link(
                        backup: backup.id, disk: disk.target, path: path, backingFile: layer.backingFile,
                        parent: parent?.id, parentFile: parent?.file, storedBytes: layer.storedBytes))
            }
        }
        let parents = backups.reduce(into: [String: String]()) { parents, backup in
            if let parent = backup.parent { parents[backup.id] = parent }
        }
        return StoredChains(manifestParents: parents, links: links, uninspected: uninspected)
    }
}
