import CLibvirt

extension Domain {
    /// The domain's XML; the live definition of a running domain unless `inactive`.
    ///
    /// Wraps `virDomainGetXMLDesc`.
    public func xmlDescription(inactive: Bool = false) throws(LibvirtError) -> String {
        let flags = inactive ? VIR_DOMAIN_XML_INACTIVE.rawValue : 0
        guard let xml = virDomainGetXMLDesc(pointer, flags) else {
            throw LibvirtError.last(call: "virDomainGetXMLDesc")
        }
        return String(libvirtOwned: xml)
    }

    /// Wraps `virDomainGetState`.
    public func state() throws(LibvirtError) -> DomainState {
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(pointer, &state, &reason, 0) == 0 else {
            throw LibvirtError.last(call: "virDomainGetState")
        }
        switch UInt32(bitPattern: state) {
        case VIR_DOMAIN_RUNNING.rawValue: return .running
        case VIR_DOMAIN_BLOCKED.rawValue: return .blocked
        case VIR_DOMAIN_PAUSED.rawValue: return .paused
        case VIR_DOMAIN_SHUTDOWN.rawValue: return .shuttingDown
        case VIR_DOMAIN_SHUTOFF.rawValue: return .shutOff
        case VIR_DOMAIN_CRASHED.rawValue: return .crashed
        case VIR_DOMAIN_PMSUSPENDED.rawValue: return .suspended
        default: return .unknown
        }
    }

    /// Pauses the domain's vCPUs. QEMU completes the guest's in-flight I/O and flushes every image
    /// (qcow2 metadata included) before it reports the domain paused.
    ///
    /// Wraps `virDomainSuspend`.
    public func suspend() throws(LibvirtError) {
        guard virDomainSuspend(pointer) == 0 else { throw LibvirtError.last(call: "virDomainSuspend") }
    }

    /// Lets a paused domain run again.
    ///
    /// Wraps `virDomainResume`.
    public func resume() throws(LibvirtError) {
        guard virDomainResume(pointer) == 0 else { throw LibvirtError.last(call: "virDomainResume") }
    }

    /// Stops the domain at once, like pulling the plug.
    ///
    /// Wraps `virDomainDestroy`.
    public func destroy() throws(LibvirtError) {
        guard virDomainDestroy(pointer) == 0 else {
            throw LibvirtError.last(call: "virDomainDestroy")
        }
    }

    /// Removes the persistent definition (a running domain becomes transient).
    ///
    /// Wraps `virDomainUndefineFlags`, also removing snapshot and checkpoint metadata and NVRAM.
    public func undefine() throws(LibvirtError) {
        let flags =
            VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA.rawValue
            | VIR_DOMAIN_UNDEFINE_NVRAM.rawValue
        guard virDomainUndefineFlags(pointer, flags) == 0 else {
            throw LibvirtError.last(call: "virDomainUndefineFlags")
        }
    }
}
