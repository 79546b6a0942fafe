import CLibvirt

extension LibvirtError {
    /// The domain has no checkpoint of the name asked (`VIR_ERR_NO_DOMAIN_CHECKPOINT`).
    public var isNoCheckpoint: Bool {
        code == Self.number(VIR_ERR_NO_DOMAIN_CHECKPOINT)
    }

    /// An incremental backup cannot start from the checkpoint asked: libvirt no longer knows it
    /// (`VIR_ERR_NO_DOMAIN_CHECKPOINT`: "Checkpoint 'X' for incremental backup of disk 'vda' not
    /// found", after a `virsh checkpoint-delete` behind the daemon's back), or its bitmap is missing
    /// from an image or inconsistent (`VIR_ERR_CHECKPOINT_INCONSISTENT`: "missing or broken bitmap",
    /// after QEMU was killed, or an image was replaced). The chain is broken: the next backup must
    /// be full, starting a new checkpoint.
    public var isBrokenCheckpointChain: Bool {
        code == Self.number(VIR_ERR_NO_DOMAIN_CHECKPOINT) || code == Self.number(VIR_ERR_CHECKPOINT_INCONSISTENT)
    }
}
