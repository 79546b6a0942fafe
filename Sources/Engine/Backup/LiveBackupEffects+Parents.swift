import Catalog
import Streaming
import Targets

extension LiveBackupEffects {
    /// Finds, for each disk taken, the parent backup's image it is stored on and that image's
    /// chunk index, checked against the parent's manifest. A disk the parent does not hold is
    /// stored whole. When a disk's size changed, or the parent's image or index cannot be used,
    /// the backup becomes a full and says why: a broken chain is never extended. Runs before the
    /// first image is written.
    func findParentImages(sizes: [UInt64]) async throws {
        guard let parent = chain.parent else { return }
        do {
            try await checkParentCheckpoint(parent.manifest.checkpoint)
        } catch let broken as BrokenChain {
            return becomeFull(broken.reason)
        }
        var found: [String: ParentImage] = [:]
        for (snapshot, size) in zip(taken, sizes) {
            let disk = snapshot.disk.target
            guard
                let stored = parent.manifest.disks.first(where: { $0.target == disk && $0.excluded == nil }),
                let indexFile = stored.index, let chunkSize = stored.chunkSize
            else { continue }
            guard stored.virtualSize == size else {
                return becomeFull(
                    "disk \(disk) holds \(size) bytes, \(stored.virtualSize ?? 0) in backup \(parent.id)")
            }
            guard chunkSize == ChunkIndex.defaultChunkSize else {
                return becomeFull("backup \(parent.id) indexes disk \(disk) in chunks of \(chunkSize) bytes")
            }
            do {
                let bytes = try await context.target.readFile(
                    vmUUID: parent.vmUUID, id: parent.id, named: indexFile)
                let index = try ChunkIndex.decode(bytes, chunkSize: chunkSize, virtualSize: size)
                guard index.digest == stored.digest else {
                    return becomeFull(
                        "the chunk index of disk \(disk) in backup \(parent.id) does not match its digest")
                }
                guard
                    let backingFile = try await context.target.backingFile(
                        vmUUID: parent.vmUUID, parentID: parent.id, disk: disk)
                else {
                    return becomeFull("the target cannot store a backup on its parent")
                }
                let bitmap = try await dirtyBitmap(for: snapshot, parentCheckpoint: parent.manifest.checkpoint)
                found[disk] = ParentImage(backingFile: backingFile, index: index, dirtyBitmap: bitmap)
            } catch let broken as BrokenChain {
                return becomeFull(broken.reason)
            } catch {
                return becomeFull("cannot read disk \(disk) of backup \(parent.id): \(error)")
            }
        }
        guard !found.isEmpty else { return becomeFull("backup \(parent.id) has no chunk index of the disks taken") }
        parents = found
    }

    /// Makes the backup a full for `reason`, logged.
    private func becomeFull(_ reason: String) {
        context.logger.notice(
            "the backup is a full: its chain cannot be extended",
            metadata: ["backup.parent": "\(chain.parent?.id ?? "-")", "reason": "\(reason)"])
        chain = .full(reason)
        parents = [:]
    }
}
