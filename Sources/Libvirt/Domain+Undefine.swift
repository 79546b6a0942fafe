import CLibvirt

extension Domain {
    /// Removes the persistent definition and everything libvirt keeps for this domain alone: its
    /// snapshot and checkpoint metadata, its managed save image, its UEFI NVRAM file and its
    /// emulated TPM's state. For a domain that is thrown away (a restore drill's copy), not for one
    /// that will be defined again with the same UUID, whose TPM state must survive (`undefine()`).
    ///
    /// Wraps `virDomainUndefineFlags` with `VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA`,
    /// `_CHECKPOINTS_METADATA`, `_MANAGED_SAVE`, `_NVRAM` and `_TPM`.
    public func undefineRemovingOwnedState() throws(LibvirtError) {
        let flags =
            VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA.rawValue
            | VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue | VIR_DOMAIN_UNDEFINE_NVRAM.rawValue
            | VIR_DOMAIN_UNDEFINE_TPM.rawValue
        guard virDomainUndefineFlags(pointer, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainUndefineFlags")
        }
    }
}
