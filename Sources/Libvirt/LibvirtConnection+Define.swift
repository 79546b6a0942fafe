import CLibvirt

extension LibvirtConnection {
    /// Defines a persistent domain from its XML, or replaces the definition of the domain with the
    /// same name and UUID. The domain is not started.
    ///
    /// Wraps `virDomainDefineXMLFlags`, with `VIR_DOMAIN_DEFINE_VALIDATE` when `validate`: libvirt
    /// then checks the XML against its schema and refuses unknown elements and attributes instead
    /// of silently dropping them, so a rewritten definition that lost something says so here.
    public func defineDomain(xml: String, validate: Bool = true) throws(LibvirtError) -> Domain {
        let flags = validate ? VIR_DOMAIN_DEFINE_VALIDATE.rawValue : 0
        guard let domain = virDomainDefineXMLFlags(pointer, xml, flags) else {
            throw LibvirtError.last(call: "virDomainDefineXMLFlags")
        }
        return try Domain(owning: domain, uri: uri)
    }
}
