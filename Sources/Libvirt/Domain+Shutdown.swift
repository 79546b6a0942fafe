import CLibvirt

extension Domain {
    /// Asks the guest to shut itself down and returns without waiting for it: the domain is shut
    /// off only once the guest has finished (see `state()`), or never if the guest ignores it.
    ///
    /// Wraps `virDomainShutdownFlags` with `VIR_DOMAIN_SHUTDOWN_GUEST_AGENT` or
    /// `VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN`: exactly the one mode, so a failure says which way
    /// did not work (libvirt's own fallback order is left to the caller).
    public func shutdown(mode: ShutdownMode) throws(LibvirtError) {
        let flags =
            switch mode {
            case .agent: VIR_DOMAIN_SHUTDOWN_GUEST_AGENT.rawValue
            case .acpi: VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN.rawValue
            }
        guard virDomainShutdownFlags(pointer, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainShutdownFlags")
        }
    }
}
