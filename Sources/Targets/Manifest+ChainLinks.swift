/// The fields of a manifest that a merge on delete rewrites (see docs/FORMAT.md, "Chains").
extension Manifest {
    /// This manifest with the parent, the level and each stored disk's backing file and stored
    /// bytes taken from `edited` (disks matched by target); everything else stays.
    public func withChainLinks(of edited: Manifest) -> Manifest {
        var manifest = self
        manifest.parent = edited.parent
        manifest.level = edited.level
        for index in manifest.disks.indices {
            guard let disk = edited.disks.first(where: { $0.target == manifest.disks[index].target }) else { continue }
            manifest.disks[index].backingFile = disk.backingFile
            manifest.disks[index].storedBytes = disk.storedBytes
        }
        return manifest
    }
}
