extension Domain {
    /// Deletes every checkpoint of the daemon's (named `vmbackup-`), leaves first, one at a time;
    /// leaves other checkpoints alone. What a broken chain is forgotten with, before a full backup
    /// starts a new one. Returns the checkpoints that had to be deleted metadata-only.
    ///
    /// A full delete removes the checkpoint's bitmap from the images, an inconsistent one (after
    /// QEMU was killed) included. It fails for a checkpoint whose bitmap never reached the image
    /// (made after QEMU's last clean exit): "bitmap ... not found in backing chain". Such a
    /// checkpoint, or any other a full delete refuses, is deleted metadata-only; a bitmap it leaves
    /// in an image is dropped with the image or removed by hand. A checkpoint already gone is
    /// skipped.
    ///
    /// Never uses `VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN`: on libvirt 9.0 a children delete that
    /// fails halfway leaves a checkpoint whose parent was freed, and the next operation on it
    /// crashes libvirtd. Wraps `virDomainListAllCheckpoints` and `virDomainCheckpointDelete`.
    @discardableResult
    public func deleteOwnCheckpoints() throws(LibvirtError) -> [CheckpointName] {
        var metadataOnly: [CheckpointName] = []
        for checkpoint in try checkpoints().reversed() {
            guard let name = checkpoint.ownName else { continue }
            do {
                try deleteCheckpoint(name)
            } catch  where error.isNoCheckpoint {
                continue
            } catch {
                do {
                    try deleteCheckpoint(name, metadataOnly: true)
                } catch  where error.isNoCheckpoint {
                    continue
                }
                metadataOnly.append(name)
            }
        }
        return metadataOnly
    }
}
