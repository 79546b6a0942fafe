import CLibvirt

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Domain {
    /// Creates a checkpoint: from now on QEMU records every write to the definition's bitmap disks
    /// in a persistent dirty bitmap named like the checkpoint, and libvirt keeps its metadata.
    ///
    /// Wraps `virDomainCheckpointCreateXML` (no flags: never a redefinition); frees libvirt's
    /// checkpoint handle at once. To start a backup and a checkpoint at the same instant, pass
    /// the definition to `beginBackup(_:checkpoint:)` instead.
    public func createCheckpoint(_ definition: CheckpointDefinition) throws(LibvirtError) {
        guard let checkpoint = virDomainCheckpointCreateXML(pointer, definition.xml, 0) else {
            throw LibvirtError.last(call: "virDomainCheckpointCreateXML")
        }
        virDomainCheckpointFree(checkpoint)
    }

    /// Every checkpoint of the domain, the daemon's and others', parents before their children.
    ///
    /// Wraps `virDomainListAllCheckpoints` with `VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL`, and
    /// `virDomainCheckpointGetName` and `virDomainCheckpointGetParent` for each.
    public func checkpoints() throws(LibvirtError) -> [DomainCheckpoint] {
        var list: UnsafeMutablePointer<virDomainCheckpointPtr?>?
        let count = virDomainListAllCheckpoints(pointer, &list, VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL.rawValue)
        guard count >= 0, let list else {
            throw LibvirtError.last(call: "virDomainListAllCheckpoints")
        }
        defer {
            for index in 0..<Int(count) {
                if let checkpoint = list[index] { virDomainCheckpointFree(checkpoint) }
            }
            free(list)
        }
        var checkpoints: [DomainCheckpoint] = []
        for index in 0..<Int(count) {
            guard let checkpoint = list[index] else { continue }
            checkpoints.append(try Self.describe(checkpoint))
        }
        return checkpoints
    }

    /// The checkpoint of that name.
    ///
    /// Wraps `virDomainCheckpointLookupByName`. Throws `VIR_ERR_NO_DOMAIN_CHECKPOINT` (see
    /// `LibvirtError.isNoCheckpoint`) when the domain has none of that name.
    public func checkpoint(named name: String) throws(LibvirtError) -> DomainCheckpoint {
        let checkpoint = try lookUpCheckpoint(named: name)
        defer { virDomainCheckpointFree(checkpoint) }
        return try Self.describe(checkpoint)
    }

    /// The checkpoint's XML without the copy of the domain's XML it keeps; with `sizes`, each
    /// disk says how many bytes were written since the checkpoint (running domains only).
    ///
    /// Wraps `virDomainCheckpointGetXMLDesc` with `VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN` and, with
    /// `sizes`, `VIR_DOMAIN_CHECKPOINT_XML_SIZE`.
    public func checkpointXML(named name: String, sizes: Bool = false) throws(LibvirtError) -> String {
        let checkpoint = try lookUpCheckpoint(named: name)
        defer { virDomainCheckpointFree(checkpoint) }
        var flags = VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN.rawValue
        if sizes { flags |= VIR_DOMAIN_CHECKPOINT_XML_SIZE.rawValue }
        guard let xml = virDomainCheckpointGetXMLDesc(checkpoint, flags) else {
            throw LibvirtError.last(call: "virDomainCheckpointGetXMLDesc")
        }
        return String(libvirtOwned: xml)
    }

    /// Deletes one of the daemon's checkpoints.
    ///
    /// Without `metadataOnly`, libvirt also removes the checkpoint's bitmaps from the images,
    /// merging them into the parent's so the parent still sees every write since it was made.
    /// With it, only libvirt's record goes and the bitmaps stay in the images: for a domain that is
    /// about to be undefined with its images, or a checkpoint whose bitmap is already gone, which
    /// a full delete refuses ("bitmap ... not found in backing chain"). Never deletes children:
    /// delete leaves first, one at a time.
    ///
    /// Wraps `virDomainCheckpointDelete`, with `VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY` if asked.
    public func deleteCheckpoint(_ name: CheckpointName, metadataOnly: Bool = false) throws(LibvirtError) {
        let checkpoint = try lookUpCheckpoint(named: name.rawValue)
        defer { virDomainCheckpointFree(checkpoint) }
        let flags = metadataOnly ? VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY.rawValue : 0
        guard virDomainCheckpointDelete(checkpoint, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainCheckpointDelete")
        }
    }

    /// Wraps `virDomainCheckpointLookupByName`; the caller frees the handle.
    private func lookUpCheckpoint(named name: String) throws(LibvirtError) -> virDomainCheckpointPtr {
        guard let checkpoint = virDomainCheckpointLookupByName(pointer, name, 0) else {
            throw LibvirtError.last(call: "virDomainCheckpointLookupByName")
        }
        return checkpoint
    }

    /// The name and parent of a checkpoint handle, which stays the caller's to free.
    ///
    /// Wraps `virDomainCheckpointGetName` and `virDomainCheckpointGetParent`; the latter fails with
    /// `VIR_ERR_NO_DOMAIN_CHECKPOINT` for a checkpoint without parent, which is no error here.
    private static func describe(_ checkpoint: virDomainCheckpointPtr) throws(LibvirtError) -> DomainCheckpoint {
        guard let name = virDomainCheckpointGetName(checkpoint) else {
            throw LibvirtError.last(call: "virDomainCheckpointGetName")
        }
        guard let parent = virDomainCheckpointGetParent(checkpoint, 0) else {
            let error = LibvirtError.last(call: "virDomainCheckpointGetParent")
            guard error.isNoCheckpoint else { throw error }
            return DomainCheckpoint(name: String(cString: name), parent: nil)
        }
        defer { virDomainCheckpointFree(parent) }
        guard let parentName = virDomainCheckpointGetName(parent) else {
            throw LibvirtError.last(call: "virDomainCheckpointGetName")
        }
        return DomainCheckpoint(name: String(cString: name), parent: String(cString: parentName))
    }
}
