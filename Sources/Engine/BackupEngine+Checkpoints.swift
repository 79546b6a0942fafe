import Blocking
import Catalog
import Libvirt
import Logging

/// The checkpoints the daemon keeps on a VM: those the next incremental or differential of each
/// target may read from. Every other checkpoint named `vmbackup-...` is stale and goes; other
/// tools' checkpoints are never touched.
extension BackupEngine {
    /// Deletes the daemon's checkpoints on `domain` that no next backup needs: all but those of
    /// the newest backup and of the newest full on each target. Run after each published backup,
    /// and so after a broken chain too. Logged, never thrown.
    func pruneCheckpoints(of domain: Domain, vmUUID: String, logger: Logger) async {
        let backups: [CatalogBackup]
        do {
            backups = try await catalog.backups(vmUUID: vmUUID)
        } catch {
            logger.warning("cannot read the catalog; no checkpoint was pruned", metadata: ["error": "\(error)"])
            return
        }
        let needed = Self.neededCheckpoints(backups)
        let own: [CheckpointName]
        do {
            own = try await executor.run { try domain.checkpoints().compactMap(\.ownName) }
        } catch {
            logger.debug("cannot list the VM's checkpoints", metadata: ["error": "\(error)"])
            return
        }
        // Newest first: never a checkpoint whose children are already gone half-way.
        let stale = own.reversed().filter { !needed.contains($0.rawValue) }
        guard !stale.isEmpty else { return }
        await Self.deleteCheckpoints(stale, of: domain, executor: executor, logger: logger)
    }

    /// The checkpoints the next backup of each target may read from: those of its newest backup
    /// and of its newest full.
    static func neededCheckpoints(_ backups: [CatalogBackup]) -> Set<String> {
        var needed: Set<String> = []
        for target in Set(backups.map(\.target)) {
            let newestFirst = backups.filter { $0.target == target }.sorted {
                ($0.created, $0.id) > ($1.created, $1.id)
            }
            if let checkpoint = newestFirst.first?.manifest.checkpoint { needed.insert(checkpoint) }
            if let checkpoint = newestFirst.first(where: { $0.manifest.storedLevel == .full })?.manifest.checkpoint {
                needed.insert(checkpoint)
            }
        }
        return needed
    }

    /// Deletes `names` from `domain`, each with its bitmaps, or its metadata alone where libvirt
    /// refuses the whole (a shut-off domain, a broken chain). Logged, never thrown.
    static func deleteCheckpoints(
        _ names: [CheckpointName], of domain: Domain, executor: BlockingExecutor, logger: Logger
    ) async {
        for name in names {
            do {
                try await executor.run {
                    do {
                        try domain.deleteCheckpoint(name)
                    } catch {
                        try domain.deleteCheckpoint(name, metadataOnly: true)
                    }
                }
                logger.info("deleted a checkpoint", metadata: ["checkpoint": "\(name)"])
            } catch {
                logger.warning("cannot delete a checkpoint", metadata: ["checkpoint": "\(name)", "error": "\(error)"])
            }
        }
    }
}
