/// Rewriting a published backup's chain links after its images were rebased.
extension DirectoryTarget {
    /// Reads the manifest on the executor, keeps only the chain links of `change`, then replaces
    /// `manifest.json` as ``update(vmUUID:id:_:)`` does.
    public func updateChain(vmUUID: String, id: String, _ change: (inout Manifest) -> Void) async throws
        -> StoredBackup
    {
        let stored = try await executor.run { try backupNow(vmUUID: vmUUID, id: id, for: "update") }
        var edited = stored.manifest
        change(&edited)
        let changed = stored.manifest.withChainLinks(of: edited)
        try await executor.run { try Self.replaceManifest(with: changed, in: stored.location) }
        return StoredBackup(manifest: changed, location: stored.location)
    }
}
