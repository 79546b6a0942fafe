import CLibvirt

extension Domain {
    /// Whether the domain has a persistent definition (`false` for a transient domain, which
    /// disappears when it stops).
    ///
    /// Wraps `virDomainIsPersistent`.
    public var isPersistent: Bool {
        get throws(LibvirtError) {
            let persistent = virDomainIsPersistent(pointer)
            guard persistent >= 0 else { throw LibvirtError.last(call: "virDomainIsPersistent") }
            return persistent == 1
        }
    }
}
