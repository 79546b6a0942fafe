import CLibvirt

extension Domain {
    /// Starts a defined, shut-off domain; with `paused`, QEMU starts with the vCPUs stopped, so
    /// the guest runs only after `resume()`.
    ///
    /// Wraps `virDomainCreateWithFlags`, with `VIR_DOMAIN_START_PAUSED` when `paused`.
    public func start(paused: Bool = false) throws(LibvirtError) {
        let flags = paused ? VIR_DOMAIN_START_PAUSED.rawValue : 0
        guard virDomainCreateWithFlags(pointer, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainCreateWithFlags")
        }
    }
}
