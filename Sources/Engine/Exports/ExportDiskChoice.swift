import Catalog
import Targets

/// Which disk of a backup a mount serves: the one the request names, or the backup's only stored
/// disk. Every other case is a `bad_request` that lists the disks the backup holds.
enum ExportDiskChoice {
    /// The image formats qemu-nbd is told to read; a stored image is qcow2 (docs/FORMAT.md).
    static let servableFormats: Set<String> = ["qcow2", "raw"]

    /// The stored disk of `backup` that `requested` names, or its only stored disk when
    /// `requested` is nil.
    static func disk(_ requested: String?, of backup: CatalogBackup) throws(EngineError) -> ManifestDisk {
        let disks = backup.manifest.disks
        let stored = disks.filter { $0.excluded == nil && $0.file != nil }
        let storedList = stored.map(\.target).joined(separator: ", ")
        let what = "backup \(backup.id) of VM \(backup.vmName)"
        let chosen: ManifestDisk
        if let requested {
            guard let disk = disks.first(where: { $0.target == requested }) else {
                throw EngineError(
                    .badRequest,
                    "\(what) has no disk \(requested.debugDescription); "
                        + (stored.isEmpty ? "it holds no stored disk" : "its stored disks: \(storedList)"),
                    vm: backup.vmName)
            }
            guard disk.excluded == nil, disk.file != nil else {
                throw EngineError(
                    .badRequest,
                    "disk \(requested) was not backed up in \(what) (\(disk.excluded ?? "no image")); "
                        + (stored.isEmpty ? "it holds no stored disk" : "its stored disks: \(storedList)"),
                    vm: backup.vmName, disk: requested)
            }
            chosen = disk
        } else {
            switch stored.count {
            case 0:
                throw EngineError(.badRequest, "\(what) holds no stored disk to mount", vm: backup.vmName)
            case 1:
                chosen = stored[0]
            default:
                throw EngineError(
                    .badRequest,
                    "\(what) holds \(stored.count) disks (\(storedList)); name the one to mount "
                        + "(\"disk\" in the request, --disk on the command line)",
                    vm: backup.vmName)
            }
        }
        let format = chosen.format ?? "qcow2"
        guard servableFormats.contains(format) else {
            throw EngineError(
                .badRequest, "disk \(chosen.target) of \(what) is stored as \(format), which cannot be mounted",
                vm: backup.vmName, disk: chosen.target)
        }
        return chosen
    }
}
