import CLibvirt

extension Domain {
    /// Creates a snapshot from a `<domainsnapshot>` XML; frees libvirt's snapshot handle at once.
    ///
    /// Wraps `virDomainSnapshotCreateXML` with `VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY`, `_ATOMIC` and
    /// `_NO_METADATA` as asked. Never quiesces: a caller that wants a consistent guest freezes it.
    public func createSnapshot(xml: String, diskOnly: Bool, atomic: Bool, noMetadata: Bool) throws(LibvirtError) {
        var flags: UInt32 = 0
        if diskOnly { flags |= VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY.rawValue }
        if atomic { flags |= VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC.rawValue }
        if noMetadata { flags |= VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA.rawValue }
        guard let snapshot = virDomainSnapshotCreateXML(pointer, xml, flags) else {
            throw LibvirtError.last(call: "virDomainSnapshotCreateXML")
        }
        virDomainSnapshotFree(snapshot)
    }
}
